using System.Globalization;
using Microsoft.Data.Analysis;

namespace ServiceRequests.Metrics;

/// <summary>Change flags that mean change: tests against the trailing weeks that allow for overdispersion and many comparisons.</summary>
public sealed partial class IssueMetrics
{
    /// <summary>The <c>metric</c> of <see cref="Changes"/> rows about issues opened in a week.</summary>
    public const string IssuesOpened = "num_issues";

    /// <summary>The <c>metric</c> of <see cref="Changes"/> rows about the share of a cohort closed within SLA.</summary>
    public const string PercWithinSla = "perc_within_sla";

    /// <summary>The <c>metric</c> of <see cref="Changes"/> rows about the Kaplan–Meier time to close of a cohort.</summary>
    public const string MedianDaysToClose = "median_days_to_close";

    /// <summary>Days a cohort of a type without SLA is given before its time to close is compared.</summary>
    private const double HorizonWithoutSla = 7;

    /// <summary>
    /// What changed, with tests that allow for the week-to-week noise of 311 data, controlled for
    /// the many comparisons of one report. One row per request type (<see cref="AllTypes"/> first)
    /// and metric:
    /// <list type="bullet">
    /// <item><see cref="IssuesOpened"/>: the issues opened in the week of <paramref name="latestWeek"/>
    /// (default <see cref="LastCompleteWeek"/>) against the <see cref="MetricOptions.RollingWeeks"/>
    /// weeks before, as a negative-binomial prediction: variance (μ + αμ²)·r, α from the errors of
    /// the same prediction over the 3 × <see cref="MetricOptions.RollingWeeks"/> weeks before, every
    /// tested type together, and r the type's own ratio of errors to that, moderated toward every
    /// type's (empirical Bayes).</item>
    /// <item><see cref="PercWithinSla"/>: the share closed within SLA of the latest creation-week
    /// cohort (up to that week) that is final for the type's SLA (<see cref="CohortCompliance"/>),
    /// against the cohorts of the 3 × <see cref="MetricOptions.RollingWeeks"/> weeks before: a two-proportion test (All types: stratified by
    /// type, Cochran–Mantel–Haenszel) with the variance inflated by the between-week dispersion.</item>
    /// <item><see cref="MedianDaysToClose"/>: the Kaplan–Meier time to close of the same cohort (types
    /// without an SLA: the latest cohort at least 7 days old) against the same cohorts before: a Peto–Peto
    /// rank test for censored times (All types: stratified by type), variance inflated by the
    /// between-week dispersion.</item>
    /// </list>
    /// Columns: <c>request_type_title, metric, week_start</c> (the week or cohort tested),
    /// <c>num_issues</c> (its issues), <c>value, value_low, value_high</c> (issues; % with a 95 %
    /// Wilson interval; Kaplan–Meier median days with a 95 % interval), <c>baseline,
    /// baseline_low, baseline_high</c> (issues: the trailing weeks' mean with the 95 % range
    /// expected for one week; outcomes, over the cohorts before: pooled % with its Wilson interval,
    /// pooled median with its interval),
    /// <c>change</c> (value − baseline), <c>p_value</c>, <c>q_value</c> (Benjamini–Hochberg over
    /// every tested row), <c>result</c> (<c>higher</c>, <c>lower</c>, <c>no change</c>, or why
    /// the row is not tested: <c>too few</c> below <see cref="MetricOptions.MinimumVolume"/>
    /// issues, <c>no SLA</c>, <c>no baseline</c>, <c>pending</c> when no cohort is final yet), <c>flagged</c> (q ≤
    /// <see cref="MetricOptions.FalseDiscoveryRate"/>) and <c>evidence</c> (the figures behind it
    /// in words).
    /// </summary>
    /// <exception cref="InvalidOperationException">The data has no issues and no week was given.</exception>
    public DataFrame Changes(DateOnly? latestWeek = null)
    {
        var latest = _calendar.WeekIndex((latestWeek ?? LastCompleteWeek ?? throw new InvalidOperationException(
            "The data has no issues, so there is no last complete week: pass the week to test.")).DayNumber);
        var test = new ChangeTest(this, latest);
        var rows = new List<ChangeRow>();
        rows.AddRange(test.Volume());
        rows.AddRange(test.Outcomes());
        var ordered = rows.OrderBy(r => r.Row < 0 ? -1 : r.Row).ThenBy(r => Array.IndexOf(ChangeMetrics, r.Metric)).ToList();
        var q = Inference.BenjaminiHochberg([.. ordered.Select(r => r.P)]);
        var flagged = q.Select(v => v is { } x && x <= Options.FalseDiscoveryRate).ToArray();
        return new DataFrame(
            new StringDataFrameColumn("request_type_title", ordered.Select(r => r.Row < 0 ? AllTypes : _types.Titles[r.Row])),
            new StringDataFrameColumn("metric", ordered.Select(r => r.Metric)),
            new DateTimeDataFrameColumn("week_start", ordered.Select(r => (DateTime?)WeekCalendar.Date(_calendar.WeekFirstDay(r.Week)).ToDateTime(TimeOnly.MinValue))),
            new Int32DataFrameColumn("num_issues", ordered.Select(r => r.Issues)),
            new DoubleDataFrameColumn("value", ordered.Select(r => r.Value)),
            new DoubleDataFrameColumn("value_low", ordered.Select(r => r.ValueLow)),
            new DoubleDataFrameColumn("value_high", ordered.Select(r => r.ValueHigh)),
            new DoubleDataFrameColumn("baseline", ordered.Select(r => r.Baseline)),
            new DoubleDataFrameColumn("baseline_low", ordered.Select(r => r.BaselineLow)),
            new DoubleDataFrameColumn("baseline_high", ordered.Select(r => r.BaselineHigh)),
            new DoubleDataFrameColumn("change", ordered.Select(r => r.Value - r.Baseline)),
            new DoubleDataFrameColumn("p_value", ordered.Select(r => r.P)),
            new DoubleDataFrameColumn("q_value", q),
            new StringDataFrameColumn("result", ordered.Select((r, k) => r.NotTested ?? (flagged[k] ? (r.Statistic > 0 ? "higher" : "lower") : "no change"))),
            new BooleanDataFrameColumn("flagged", flagged),
            new StringDataFrameColumn("evidence", ordered.Select((r, k) => q[k] is { } v
                ? $"{r.Evidence}; p {Probability(r.P!.Value)}, q {Probability(v)}"
                : r.Evidence)));
    }

    private static readonly string[] ChangeMetrics = [IssuesOpened, PercWithinSla, MedianDaysToClose];

    /// <summary>"= 0.0123", or "&lt; 0.0001" for smaller values.</summary>
    private static string Probability(double p) =>
        p < 0.0001 ? "< 0.0001" : string.Create(CultureInfo.InvariantCulture, $"= {p:0.####}");

    /// <summary>
    /// One row of <see cref="Changes"/> before the multiple-comparison step: the type row (-1 for
    /// all types), metric, week tested, its issues and the evidence; <see cref="Statistic"/> is
    /// positive when the value is higher than the baseline.
    /// </summary>
    private sealed record ChangeRow(int Row, string Metric, int Week, int Issues, string Evidence)
    {
        public double? Value { get; init; }
        public double? ValueLow { get; init; }
        public double? ValueHigh { get; init; }
        public double? Baseline { get; init; }
        public double? BaselineLow { get; init; }
        public double? BaselineHigh { get; init; }
        public double? P { get; init; }
        public double Statistic { get; init; }
        public string? NotTested { get; init; }
    }

    /// <summary>The tests of <see cref="Changes"/> for one latest week.</summary>
    private sealed class ChangeTest
    {
        private readonly IssueMetrics _m;
        private readonly int _latest;
        private readonly int _trailing;
        private readonly int _dataStart;
        private readonly int _minimum;
        private readonly List<int>[] _byRowWeek;
        private readonly int _firstWeek;
        private readonly int _weeks;

        public ChangeTest(IssueMetrics metrics, int latest)
        {
            _m = metrics;
            _latest = latest;
            _trailing = metrics.Options.RollingWeeks;
            _minimum = metrics.Options.MinimumVolume;
            var columns = metrics._columns;
            _dataStart = columns.Count == 0 ? latest : metrics._calendar.WeekIndex(columns.FirstDay);
            _firstWeek = Math.Min(_dataStart, latest) - 1;
            _weeks = latest - _firstWeek + 1;
            _byRowWeek = new List<int>[metrics._types.Titles.Length * _weeks];
            for (var k = 0; k < _byRowWeek.Length; k++)
            {
                _byRowWeek[k] = [];
            }
            for (var i = 0; i < columns.Count; i++)
            {
                var w = metrics._calendar.WeekIndex(columns.Day[i]) - _firstWeek;
                if (w >= 0 && w < _weeks)
                {
                    _byRowWeek[metrics._types.RowOfType[columns.Type[i]] * _weeks + w].Add(i);
                }
            }
        }

        private int Rows => _m._types.Titles.Length;

        private List<int> Issues(int row, int week) => week < _firstWeek || week > _latest ? [] : _byRowWeek[row * _weeks + week - _firstWeek];

        /// <summary>The <paramref name="length"/> (default: the trailing) weeks before <paramref name="week"/> that lie in the data.</summary>
        private int[] TrailingWeeks(int week, int? length = null) =>
            [.. Enumerable.Range(week - (length ?? _trailing), length ?? _trailing).Where(w => w >= _dataStart)];

        /// <summary>
        /// Weeks before the tested one that calibrate the tests: three times the trailing weeks. The count test's prediction
        /// errors come from them; the outcome tests compare the cohort with the cohorts of these weeks and take their
        /// between-week dispersion from them.
        /// </summary>
        private int DispersionWeeks => 3 * _trailing;

        /// <summary>
        /// Issues opened: negative-binomial prediction of the latest week from the trailing weeks, its variance
        /// calibrated on the prediction errors of the <see cref="DispersionWeeks"/> before (α pooled over the
        /// tested types, then each type's own variance ratio moderated toward the types' common one).
        /// </summary>
        public IEnumerable<ChangeRow> Volume()
        {
            var k = TrailingWeeks(_latest).Length;
            // counts[row][week − first week]; row Rows holds all types.
            var counts = new int[Rows + 1][];
            counts[Rows] = new int[_weeks];
            for (var row = 0; row < Rows; row++)
            {
                counts[row] = new int[_weeks];
                for (var w = 0; w < _weeks; w++)
                {
                    counts[row][w] = _byRowWeek[row * _weeks + w].Count;
                    counts[Rows][w] += counts[row][w];
                }
            }
            int Count(int row, int week) => counts[row][week - _firstWeek];
            double Mean(int row, int week) => TrailingWeeks(week).Average(w => Count(row, w));
            // The variance of a week's count about the mean of the k weeks before it, over the Poisson's and the αμ² part.
            static (double Poisson, double Extra) Parts(double mu, int weeks) => (Math.Max(mu, 1.0 / weeks) * (1 + 1.0 / weeks), mu * mu * (1 + 1.0 / weeks));

            // A row is tested when the week, or the trailing weeks on average, reach the minimum volume.
            bool Tested(int row) => k >= 2 && Math.Max(Count(row, _latest), Mean(row, _latest)) >= _minimum;

            // Weeks before the latest whose own prediction errors calibrate the test.
            var history = Enumerable.Range(_latest - DispersionWeeks, DispersionWeeks).Where(w => w - 1 >= _dataStart).ToArray();
            var tested = Enumerable.Range(0, Rows).Where(Tested).ToArray();
            // α by the method of moments over every tested type's errors: Σ(e² − Poisson part) = α·Σ(αμ² part).
            double excess = 0, squares = 0;
            foreach (var row in tested)
            {
                foreach (var w in history)
                {
                    var mu = Mean(row, w);
                    var (poisson, extra) = Parts(mu, TrailingWeeks(w).Length);
                    excess += Math.Pow(Count(row, w) - mu, 2) - poisson;
                    squares += extra;
                }
            }
            var alpha = squares > 0 ? Math.Max(0, excess / squares) : 0;
            double Variance(int row, int week)
            {
                var (poisson, extra) = Parts(Mean(row, week), TrailingWeeks(week).Length);
                return poisson + alpha * extra;
            }
            // Each row's ratio of its errors² to the pooled model's variance, with as many degrees of freedom as errors.
            double Ratio(int row) => history.Length == 0 ? 1 : history.Average(w => Math.Pow(Count(row, w) - Mean(row, w), 2) / Variance(row, w));
            var prior = Inference.VariancePrior([.. tested.Select(Ratio)], [.. tested.Select(_ => (double)history.Length)]);
            var pooledDf = (double)tested.Length * history.Length;
            for (var row = -1; row < Rows; row++)
            {
                var r = row < 0 ? Rows : row;
                var latestCount = Count(r, _latest);
                if (k < 2)
                {
                    yield return new ChangeRow(row, IssuesOpened, _latest, latestCount, $"{latestCount} issues; fewer than 2 weeks before it in the data") { Value = latestCount, NotTested = "no baseline" };
                    continue;
                }
                var mu = Mean(r, _latest);
                if (!Tested(r))
                {
                    yield return new ChangeRow(row, IssuesOpened, _latest, latestCount, string.Create(CultureInfo.InvariantCulture,
                        $"{latestCount} issues against {mu:0.#} a week before: fewer than {_minimum}")) { Value = latestCount, NotTested = "too few" };
                    continue;
                }
                double ratio = 1, df = alpha > 0 ? pooledDf : double.PositiveInfinity;
                if (prior is var (d0, s0))
                {
                    ratio = double.IsPositiveInfinity(d0) ? s0 : (d0 * s0 + history.Length * Ratio(r)) / (d0 + history.Length);
                    df = double.IsPositiveInfinity(d0) ? pooledDf : d0 + history.Length;
                }
                var sd = Math.Sqrt(Variance(r, _latest) * ratio);
                var t = (latestCount - mu) / sd;
                var quantile = Inference.StudentQuantile(df);
                var (low, high) = (Math.Max(0, mu - quantile * sd), mu + quantile * sd);
                yield return new ChangeRow(row, IssuesOpened, _latest, latestCount, string.Create(CultureInfo.InvariantCulture,
                    $"{latestCount} issues against {mu:0.#} a week in the {k} weeks before; {low:0}–{high:0} expected (95 %, z = {t:0.#}, dispersion α = {alpha:0.###}, variance × {ratio:0.##})"))
                {
                    Value = latestCount,
                    Baseline = mu,
                    BaselineLow = low,
                    BaselineHigh = high,
                    P = Inference.StudentP(t, df),
                    Statistic = t,
                };
            }
        }

        /// <summary>The SLA share and time-to-close rows, per type then all types.</summary>
        public List<ChangeRow> Outcomes()
        {
            var limits = _m.GroupSlaLimits(MetricGrouping.RequestType, withAll: true);
            var cohortOf = new int[Rows + 1];
            for (var row = 0; row <= Rows; row++)
            {
                cohortOf[row] = LatestFinalCohort(limits[row] ?? HorizonWithoutSla);
            }
            var shareDispersion = ShareDispersion(limits, cohortOf);
            var closeDispersion = CloseDispersion(cohortOf);
            var rows = new List<ChangeRow>();
            for (var row = 0; row <= Rows; row++)
            {
                var type = row < Rows ? row : -1;
                var horizon = limits[row] ?? HorizonWithoutSla;
                var share = limits[row] is { } sla
                    ? Share(type, cohortOf[row], sla, shareDispersion)
                    : new ChangeRow(type, PercWithinSla, cohortOf[row], 0, type < 0 ? "no type has an SLA" : "the type has no SLA") { NotTested = "no SLA" };
                var close = TimeToClose(type, cohortOf[row], closeDispersion);
                if (_m.CohortFinalAt(cohortOf[row], horizon) is var finalAt && finalAt > _m.AsOf)
                {
                    // Not even the first cohort in the data is old enough: nothing to compare yet.
                    var pending = string.Create(CultureInfo.InvariantCulture, $"no cohort is final yet: the first becomes final at {finalAt:yyyy-MM-dd HH:mm}");
                    share = share.NotTested == "no SLA" ? share : share with { NotTested = "pending", Evidence = pending, P = null };
                    close = close with { NotTested = "pending", Evidence = pending, P = null };
                }
                rows.Add(share);
                rows.Add(close);
            }
            return rows;
        }

        /// <summary>The latest week up to the latest one whose cohort is final for a limit of <paramref name="days"/> at <see cref="AsOf"/>.</summary>
        private int LatestFinalCohort(double days)
        {
            var week = _latest;
            while (week > _dataStart && _m.CohortFinalAt(week, days) > _m.AsOf)
            {
                week--;
            }
            return week;
        }

        /// <summary>The types of a row: itself, or every type for all types (-1).</summary>
        private int[] TypesOf(int row) => row >= 0 ? [row] : [.. Enumerable.Range(0, Rows)];

        private (int Issues, int Met) Met(int row, int week)
        {
            var sla = _m._types.EntryOfRow[row]?.SlaDays;
            if (sla is not { } limit)
            {
                return (0, 0);
            }
            var issues = Issues(row, week);
            var met = issues.Count(i => (_m._columns.Flags[i] & IssueColumns.ClosedFlag) != 0 && _m._columns.Days[i] > 0 && _m._columns.Days[i] < limit);
            return (issues.Count, met);
        }

        /// <summary>Between-week dispersion of the SLA shares: Pearson χ² of the cohorts of the <see cref="DispersionWeeks"/> before, over every type, divided by its degrees of freedom, at least 1.</summary>
        private (double Phi, double Df) ShareDispersion(double?[] limits, int[] cohortOf)
        {
            double chi2 = 0;
            var df = 0;
            for (var row = 0; row < Rows; row++)
            {
                if (limits[row] is null)
                {
                    continue;
                }
                var weeks = TrailingWeeks(cohortOf[row], DispersionWeeks).Select(w => Met(row, w)).Where(c => c.Issues > 0).ToList();
                var n = weeks.Sum(c => c.Issues);
                var x = weeks.Sum(c => c.Met);
                if (weeks.Count < 2 || n < _minimum || x == 0 || x == n)
                {
                    continue;
                }
                var p = (double)x / n;
                chi2 += weeks.Sum(c => Math.Pow(c.Met - c.Issues * p, 2) / (c.Issues * p * (1 - p)));
                df += weeks.Count - 1;
            }
            return df == 0 || chi2 <= df ? (1, double.PositiveInfinity) : (chi2 / df, df);
        }

        private ChangeRow Share(int row, int cohort, double limit, (double Phi, double Df) dispersion)
        {
            var trailing = TrailingWeeks(cohort, DispersionWeeks);
            int n0 = 0, x0 = 0, n1 = 0, x1 = 0;
            double oMinusE = 0, variance = 0;
            foreach (var type in TypesOf(row))
            {
                var (a, am) = Met(type, cohort);
                var (b, bm) = trailing.Select(w => Met(type, w)).Aggregate((0, 0), (s, c) => (s.Item1 + c.Issues, s.Item2 + c.Met));
                n0 += a;
                x0 += am;
                n1 += b;
                x1 += bm;
                // Cochran–Mantel–Haenszel: the latest cohort's met count against its hypergeometric expectation within the type.
                var total = a + b;
                var metTotal = am + bm;
                if (a > 0 && b > 0 && total > 1)
                {
                    oMinusE += am - (double)a * metTotal / total;
                    variance += (double)a * b * metTotal * (total - metTotal) / ((double)total * total * (total - 1));
                }
            }
            var value = n0 == 0 ? (double?)null : 100.0 * x0 / n0;
            var baseline = n1 == 0 ? (double?)null : 100.0 * x1 / n1;
            var v = Inference.Wilson(x0, n0);
            var bl = Inference.Wilson(x1, n1);
            var within = row >= 0 ? string.Create(CultureInfo.InvariantCulture, $"within {limit:0.#} days") : "within SLA";
            var evidence = string.Create(CultureInfo.InvariantCulture,
                $"{value:0.#} % of {n0} {within} ({v?.Low * 100:0.#}–{v?.High * 100:0.#} %) against {baseline:0.#} % of {n1} ({bl?.Low * 100:0.#}–{bl?.High * 100:0.#} %) in the {trailing.Length} cohorts before");
            var result = new ChangeRow(row, PercWithinSla, cohort, n0, evidence)
            {
                Value = value,
                ValueLow = v?.Low * 100,
                ValueHigh = v?.High * 100,
                Baseline = baseline,
                BaselineLow = bl?.Low * 100,
                BaselineHigh = bl?.High * 100,
            };
            if (Untestable(result, trailing.Length, n0, n1) is { } untested)
            {
                return untested;
            }
            var z = variance > 0 ? oMinusE / Math.Sqrt(variance * dispersion.Phi) : 0;
            return result with { P = Inference.StudentP(z, dispersion.Df), Statistic = z, Evidence = evidence + string.Create(CultureInfo.InvariantCulture, $" (z = {z:0.#}, dispersion φ = {dispersion.Phi:0.##})") };
        }

        /// <summary>The row marked as not tested when the cohort has no cohorts before it, or it or they have too few issues; null when it can be tested.</summary>
        private ChangeRow? Untestable(ChangeRow row, int trailingWeeks, int issues, int issuesBefore) =>
            trailingWeeks == 0 ? row with { NotTested = "no baseline", Evidence = "no cohort before it in the data" }
            : issues < _minimum || issuesBefore < _minimum ? row with
            {
                NotTested = "too few",
                Evidence = $"{issues} issues in the cohort and {issuesBefore} in the {trailingWeeks} before: fewer than {_minimum}",
            }
            : null;

        /// <summary>Closed flag and days (to close, or age at the as-of time) of issue <paramref name="i"/>.</summary>
        private (bool Closed, double Days) Outcome(int i) => ((_m._columns.Flags[i] & IssueColumns.ClosedFlag) != 0, _m._columns.Days[i]);

        /// <summary>The Peto–Peto parts of <paramref name="group1"/> against <paramref name="group0"/>.</summary>
        private (double Score, double Variance) RankTest(List<int> group1, List<int> group0)
        {
            var n = group1.Count + group0.Count;
            var times = new double[n];
            var closed = new bool[n];
            var inGroup1 = new bool[n];
            var k = 0;
            foreach (var i in group1.Concat(group0))
            {
                (closed[k], times[k]) = Outcome(i);
                inGroup1[k] = k < group1.Count;
                k++;
            }
            return Inference.RankTest(times, closed, inGroup1);
        }

        /// <summary>
        /// Between-week dispersion of time to close: each of the <see cref="DispersionWeeks"/> cohorts before is compared with the
        /// other trailing cohorts of its type (Peto–Peto), and φ = ΣU²/ΣV over every comparison of every tested type, at least 1.
        /// The ratio of sums, not the mean of the χ² values: a cohort of a few issues has a χ² whose mean is above 1 even
        /// without any change between weeks, and the mean of many such values overstated φ (median 1.18, where the ratio of
        /// sums gives 1.00, on synthetic data whose close times do not change from week to week; docs/metrics.md).
        /// </summary>
        private (double Phi, double Df) CloseDispersion(int[] cohortOf)
        {
            double squares = 0, variances = 0;
            var count = 0;
            for (var row = 0; row < Rows; row++)
            {
                var weeks = TrailingWeeks(cohortOf[row], DispersionWeeks).Select(w => Issues(row, w)).Where(l => l.Count > 0).ToList();
                if (weeks.Count < 2 || weeks.Sum(l => l.Count) < _minimum)
                {
                    continue;
                }
                for (var j = 0; j < weeks.Count; j++)
                {
                    var (oMinusE, variance) = RankTest(weeks[j], [.. weeks.Where((_, other) => other != j).SelectMany(l => l)]);
                    if (variance > 0)
                    {
                        squares += oMinusE * oMinusE;
                        variances += variance;
                        count++;
                    }
                }
            }
            return count == 0 || squares <= variances ? (1, double.PositiveInfinity) : (squares / variances, count);
        }

        private ChangeRow TimeToClose(int row, int cohort, (double Phi, double Df) dispersion)
        {
            var trailing = TrailingWeeks(cohort, DispersionWeeks);
            var latestIssues = new List<int>();
            var trailingIssues = new List<int>();
            double oMinusE = 0, variance = 0;
            foreach (var type in TypesOf(row))
            {
                var a = Issues(type, cohort);
                var b = trailing.SelectMany(w => Issues(type, w)).ToList();
                latestIssues.AddRange(a);
                trailingIssues.AddRange(b);
                if (a.Count > 0 && b.Count > 0)
                {
                    var (o, v) = RankTest(a, b);
                    oMinusE += o;
                    variance += v;
                }
            }
            var now = Estimate(latestIssues);
            var before = Estimate(trailingIssues);
            var (median, low, high) = now.Quantile(0.5);
            var (baseline, baseLow, baseHigh) = before.Quantile(0.5);
            static string Median(double? days, double? low, double? high, KaplanMeier estimate) => days is { } d
                ? string.Create(CultureInfo.InvariantCulture, $"{d:0.#} days ({low:0.#}–{(high is { } h ? h.ToString("0.#", CultureInfo.InvariantCulture) : "open")})")
                : string.Create(CultureInfo.InvariantCulture, $"not reached ({100 * (1 - (estimate.Survival.Length == 0 ? 1 : estimate.Survival[^1])):0} % closed)");
            var evidence = string.Create(CultureInfo.InvariantCulture,
                $"median {Median(median, low, high, now)} for {now.Count} issues against {Median(baseline, baseLow, baseHigh, before)} for {before.Count} in the {trailing.Length} cohorts before");
            var result = new ChangeRow(row, MedianDaysToClose, cohort, now.Count, evidence)
            {
                Value = median,
                ValueLow = low,
                ValueHigh = high,
                Baseline = baseline,
                BaselineLow = baseLow,
                BaselineHigh = baseHigh,
            };
            if (Untestable(result, trailing.Length, now.Count, before.Count) is { } untested)
            {
                return untested;
            }
            // More closes than expected means faster closing: a lower time to close.
            var z = variance > 0 ? -oMinusE / Math.Sqrt(variance * dispersion.Phi) : 0;
            return result with
            {
                P = Inference.StudentP(z, dispersion.Df),
                Statistic = z,
                Evidence = evidence + string.Create(CultureInfo.InvariantCulture, $"; closes came {(z > 0 ? "later" : "sooner")} than the cohorts before (Peto–Peto z = {z:0.#}, dispersion φ = {dispersion.Phi:0.##})"),
            };
        }

        private KaplanMeier Estimate(List<int> issues)
        {
            var times = new double[issues.Count];
            var closed = new bool[issues.Count];
            for (var k = 0; k < issues.Count; k++)
            {
                (closed[k], times[k]) = Outcome(issues[k]);
            }
            return KaplanMeier.Estimate(times, closed);
        }
    }
}
