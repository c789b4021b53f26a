using System.Globalization;

namespace ServiceRequests.Metrics;

/// <summary>
/// The outcome tests of <see cref="ChangeTest"/>: the share closed within SLA and the time to close of
/// the latest creation-week cohorts that are final, against the cohorts of the baseline before them.
/// </summary>
internal sealed partial class ChangeTest
{
    /// <summary>Days a cohort of a type without SLA is given before its time to close is compared.</summary>
    private const double HorizonWithoutSla = 7;

    /// <summary>Issues the tested cohorts of an outcome row must hold for its test (<see cref="TooSmall"/>).</summary>
    private const int MinimumTestedIssues = 10;

    /// <summary>
    /// The SLA share and time-to-close rows of every test, per type then all types. A row's cohorts end
    /// with its latest cohort that is final for its SLA (types without SLA: 7 days old); the window is the
    /// W cohorts up to it, the week that cohort alone, and the baseline the 3W cohorts before the window.
    /// </summary>
    /// <param name="limits">The SLA days of each type row, then of all types (the longest); null without SLA.</param>
    public List<ChangeRow> Outcomes(double?[] limits)
    {
        var cohortOf = new int[Rows + 1];
        for (var row = 0; row <= Rows; row++)
        {
            cohortOf[row] = LatestFinalCohort(limits[row] ?? HorizonWithoutSla);
        }
        var shareDispersion = ShareDispersion(limits, cohortOf);
        var closeDispersion = CloseDispersion(cohortOf);
        var rows = new List<ChangeRow>();
        foreach (var test in Tests)
        {
            for (var row = 0; row <= Rows; row++)
            {
                var type = row < Rows ? row : -1;
                var end = cohortOf[row];
                var first = end - Length(test) + 1;
                var share = limits[row] is { } sla
                    ? Share(type, test, end, sla, shareDispersion)
                    : new ChangeRow(type, IssueMetrics.PercWithinSla, test, first, end, 0, type < 0 ? "no type has an SLA" : "the type has no SLA") { NotTested = "no SLA" };
                var close = TimeToClose(type, test, end, closeDispersion);
                if (_finalAt(end, limits[row] ?? HorizonWithoutSla) is var finalAt && finalAt > _asOf)
                {
                    // Not even the first cohort in the data is old enough: nothing to compare yet.
                    var pending = string.Create(CultureInfo.InvariantCulture, $"no cohort is final yet: the first becomes final at {finalAt:yyyy-MM-dd HH:mm}");
                    share = share.NotTested == "no SLA" ? share : share with { NotTested = "pending", Evidence = pending, P = null, ChangeStart = null };
                    close = close with { NotTested = "pending", Evidence = pending, P = null, ChangeStart = null };
                }
                rows.Add(share);
                rows.Add(close);
            }
        }
        return rows;
    }

    /// <summary>
    /// The weekly values behind the tests of every type row (-1: all types) and metric, for a chart: each
    /// week of the baseline and of the window (counts up to the latest week; outcomes up to the row's latest
    /// final cohort), with the issues opened, or the cohort's % closed within SLA, or its Kaplan–Meier median.
    /// </summary>
    public IEnumerable<(int Row, string Metric, int Week, string Part, double? Value, int Issues)> Series(double?[] limits)
    {
        for (var row = 0; row <= Rows; row++)
        {
            var type = row < Rows ? row : -1;
            var types = TypesOf(type);
            IEnumerable<(int Week, string Part)> Span(int end) =>
                Enumerable.Range(end - _window - _baseline + 1, _window + _baseline).Where(w => w >= _dataStart).Select(w => (w, w > end - _window ? Window : "baseline"));
            foreach (var (week, part) in Span(_latest))
            {
                var issues = types.Sum(t => Issues(t, week).Count);
                yield return (type, IssueMetrics.IssuesOpened, week, part, issues, issues);
            }
            var end = LatestFinalCohort(limits[row] ?? HorizonWithoutSla);
            foreach (var (week, part) in Span(end))
            {
                if (limits[row] is not null)
                {
                    var (n, met) = types.Select(t => Met(t, week)).Aggregate((0, 0), (s, c) => (s.Item1 + c.Issues, s.Item2 + c.Met));
                    yield return (type, IssueMetrics.PercWithinSla, week, part, n == 0 ? null : 100.0 * met / n, n);
                }
                var cohort = Estimate([.. types.SelectMany(t => Issues(t, week))]);
                yield return (type, IssueMetrics.MedianDaysToClose, week, part, cohort.Quantile(0.5).Estimate, cohort.Count);
            }
        }
    }

    /// <summary>The latest week up to the latest one whose cohort is final for a limit of <paramref name="days"/>.</summary>
    private int LatestFinalCohort(double days)
    {
        var week = _latest;
        while (week > _dataStart && _finalAt(week, days) > _asOf)
        {
            week--;
        }
        return week;
    }

    private (int Issues, int Met) Met(int row, int week)
    {
        if (_types.EntryOfRow[row]?.SlaDays is not { } limit)
        {
            return (0, 0);
        }
        var issues = Issues(row, week);
        var met = issues.Count(i => (_columns.Flags[i] & IssueColumns.ClosedFlag) != 0 && _columns.Days[i] > 0 && _columns.Days[i] < limit);
        return (issues.Count, met);
    }

    private (int Issues, int Met) Met(int row, IEnumerable<int> weeks) =>
        weeks.Select(w => Met(row, w)).Aggregate((0, 0), (s, c) => (s.Item1 + c.Issues, s.Item2 + c.Met));

    /// <summary>Between-week dispersion of the SLA shares: Pearson χ² of the baseline cohorts, over every type, divided by its degrees of freedom, at least 1.</summary>
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
            var weeks = BaselineWeeks(cohortOf[row]).Select(w => Met(row, w)).Where(c => c.Issues > 0).ToList();
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

    private ChangeRow Share(int row, string test, int end, double limit, (double Phi, double Df) dispersion)
    {
        var first = end - Length(test) + 1;
        var unit = Enumerable.Range(first, Length(test)).ToArray();
        var baseline = BaselineWeeks(end);
        int n0 = 0, x0 = 0, n1 = 0, x1 = 0;
        double oMinusE = 0, variance = 0;
        var perWeek = new (double Score, double Variance)[unit.Length];
        foreach (var type in TypesOf(row))
        {
            var (a, am) = Met(type, unit);
            var (b, bm) = Met(type, baseline);
            n0 += a;
            x0 += am;
            n1 += b;
            x1 += bm;
            // Cochran–Mantel–Haenszel: the tested cohorts' met count against its hypergeometric expectation within the type.
            var total = a + b;
            var metTotal = am + bm;
            if (a > 0 && b > 0 && total > 1)
            {
                oMinusE += am - (double)a * metTotal / total;
                variance += (double)a * b * metTotal * (total - metTotal) / ((double)total * total * (total - 1));
            }
            if (b > 0)
            {
                // Each cohort's met count against the type's baseline share, for the change's start.
                var p = (double)bm / b;
                for (var k = 0; k < unit.Length; k++)
                {
                    var (c, cm) = Met(type, unit[k]);
                    perWeek[k] = (perWeek[k].Score + cm - c * p, perWeek[k].Variance + c * p * (1 - p));
                }
            }
        }
        var value = n0 == 0 ? (double?)null : 100.0 * x0 / n0;
        var baselineValue = n1 == 0 ? (double?)null : 100.0 * x1 / n1;
        var v = Inference.Wilson(x0, n0);
        var bl = Inference.Wilson(x1, n1);
        var within = row >= 0 ? string.Create(CultureInfo.InvariantCulture, $"within {limit:0.#} days") : "within SLA";
        var cohorts = unit.Length == 1 ? $"the cohort of {Date(first)}" : $"the {unit.Length} cohorts from {Date(first)}";
        var evidence = string.Create(CultureInfo.InvariantCulture,
            $"{value:0.#} % of {n0} {within} in {cohorts} ({v?.Low * 100:0.#}–{v?.High * 100:0.#} %) against {baselineValue:0.#} % of {n1} ({bl?.Low * 100:0.#}–{bl?.High * 100:0.#} %) in the {baseline.Length} cohorts before");
        var result = new ChangeRow(row, IssueMetrics.PercWithinSla, test, first, end, n0, evidence)
        {
            Value = value,
            ValueLow = v?.Low * 100,
            ValueHigh = v?.High * 100,
            Baseline = baselineValue,
            BaselineLow = bl?.Low * 100,
            BaselineHigh = bl?.High * 100,
        };
        if ((Untestable(result, baseline.Length, n1) ?? TooSmall(result, n0)) is { } untested)
        {
            return untested;
        }
        var z = variance > 0 ? oMinusE / Math.Sqrt(variance * dispersion.Phi) : 0;
        return Tested(result, test, z, dispersion, perWeek,
            evidence + string.Create(CultureInfo.InvariantCulture, $" (z = {z:0.#}, dispersion φ = {dispersion.Phi:0.##})"));
    }

    /// <summary>The tested row: its p-value from Student t, the change's interval (<see cref="Difference"/>, widened by φ) and, for the window, its start.</summary>
    private static ChangeRow Tested(ChangeRow row, string test, double z, (double Phi, double Df) dispersion, (double Score, double Variance)[] perWeek, string evidence)
    {
        var (changeLow, changeHigh) = Difference(row.Value, row.ValueLow, row.ValueHigh, row.Baseline, row.BaselineLow, row.BaselineHigh, dispersion.Phi);
        return row with
        {
            P = Inference.StudentP(z, dispersion.Df),
            Statistic = z,
            ChangeLow = changeLow,
            ChangeHigh = changeHigh,
            ChangeStart = test == Window ? ChangeStart(row.FirstWeek, perWeek) : null,
            Evidence = evidence,
        };
    }

    /// <summary>
    /// The row marked as not tested when the baseline is not all in the data or holds too few issues for
    /// the tested cohorts to expect <see cref="MetricOptions.MinimumVolume"/>; null when it is tested. Decided
    /// from the baseline alone, never from the tested cohorts.
    /// </summary>
    private ChangeRow? Untestable(ChangeRow row, int baselineWeeks, int issuesBefore)
    {
        if (baselineWeeks < _baseline)
        {
            return row with { NotTested = "no baseline", Evidence = $"the {_baseline} cohorts before are not all in the data", ChangeStart = null };
        }
        var expected = (double)issuesBefore / baselineWeeks * (row.LastWeek - row.FirstWeek + 1);
        return expected < _minimum || issuesBefore < _minimum
            ? row with
            {
                NotTested = "too few",
                Evidence = string.Create(CultureInfo.InvariantCulture,
                    $"{issuesBefore} issues in the {baselineWeeks} cohorts before: {expected:0.#} expected in the tested cohorts, fewer than {_minimum}"),
                ChangeStart = null,
            }
            : null;
    }

    /// <summary>
    /// The row marked as not tested when its tested cohorts hold fewer than <see cref="MinimumTestedIssues"/> issues:
    /// the normal approximations of the proportion and rank tests do not hold for a handful of issues (one issue
    /// closed fast gave z = −6). The cohorts' size says nothing about how their issues closed, so this choice does
    /// not bias the test the way choosing a count by its own size did.
    /// </summary>
    private static ChangeRow? TooSmall(ChangeRow row, int issues) => issues >= MinimumTestedIssues ? null : row with
    {
        NotTested = "too few",
        Evidence = $"{issues} issues in the tested cohorts: fewer than {MinimumTestedIssues}, too few for the test",
        ChangeStart = null,
    };

    /// <summary>Closed flag and days (to close, or age at the as-of time) of issue <paramref name="i"/>.</summary>
    private (bool Closed, double Days) Outcome(int i) => ((_columns.Flags[i] & IssueColumns.ClosedFlag) != 0, _columns.Days[i]);

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
    /// Between-week dispersion of time to close: each baseline cohort is compared with the other baseline
    /// cohorts of its type (Peto–Peto), and φ = ΣU²/ΣV over every comparison of every type, at least 1.
    /// The ratio of sums, not the mean of the χ² values: a cohort of a few issues has a χ² whose mean is
    /// above 1 even without any change between weeks (docs/metrics.md).
    /// </summary>
    private (double Phi, double Df) CloseDispersion(int[] cohortOf)
    {
        double squares = 0, variances = 0;
        var count = 0;
        for (var row = 0; row < Rows; row++)
        {
            var weeks = BaselineWeeks(cohortOf[row]).Select(w => Issues(row, w)).Where(l => l.Count > 0).ToList();
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

    private ChangeRow TimeToClose(int row, string test, int end, (double Phi, double Df) dispersion)
    {
        var first = end - Length(test) + 1;
        var unit = Enumerable.Range(first, Length(test)).ToArray();
        var baseline = BaselineWeeks(end);
        var testedIssues = new List<int>();
        var baselineIssues = new List<int>();
        double oMinusE = 0, variance = 0;
        var perWeek = new (double Score, double Variance)[unit.Length];
        foreach (var type in TypesOf(row))
        {
            var a = unit.SelectMany(w => Issues(type, w)).ToList();
            var b = baseline.SelectMany(w => Issues(type, w)).ToList();
            testedIssues.AddRange(a);
            baselineIssues.AddRange(b);
            if (a.Count > 0 && b.Count > 0)
            {
                var (o, v) = RankTest(a, b);
                oMinusE += o;
                variance += v;
                if (test == Window)
                {
                    for (var k = 0; k < unit.Length; k++)
                    {
                        var (ok, vk) = Issues(type, unit[k]) is { Count: > 0 } cohort ? RankTest(cohort, b) : (0, 0);
                        perWeek[k] = (perWeek[k].Score + ok, perWeek[k].Variance + vk);
                    }
                }
            }
        }
        var now = Estimate(testedIssues);
        var before = Estimate(baselineIssues);
        var (median, low, high) = now.Quantile(0.5);
        var (baselineMedian, baseLow, baseHigh) = before.Quantile(0.5);
        static string Median(double? days, double? low, double? high, KaplanMeier estimate) => days is { } d
            ? string.Create(CultureInfo.InvariantCulture, $"{d:0.#} days ({low:0.#}–{(high is { } h ? h.ToString("0.#", CultureInfo.InvariantCulture) : "open")})")
            : string.Create(CultureInfo.InvariantCulture, $"not reached ({100 * (1 - (estimate.Survival.Length == 0 ? 1 : estimate.Survival[^1])):0} % closed)");
        var cohorts = unit.Length == 1 ? $"the cohort of {Date(first)}" : $"the {unit.Length} cohorts from {Date(first)}";
        var evidence = string.Create(CultureInfo.InvariantCulture,
            $"median {Median(median, low, high, now)} for {now.Count} issues in {cohorts} against {Median(baselineMedian, baseLow, baseHigh, before)} for {before.Count} in the {baseline.Length} cohorts before");
        var result = new ChangeRow(row, IssueMetrics.MedianDaysToClose, test, first, end, now.Count, evidence)
        {
            Value = median,
            ValueLow = low,
            ValueHigh = high,
            Baseline = baselineMedian,
            BaselineLow = baseLow,
            BaselineHigh = baseHigh,
        };
        if ((Untestable(result, baseline.Length, before.Count) ?? TooSmall(result, now.Count)) is { } untested)
        {
            return untested;
        }
        // More closes than expected means faster closing: a lower time to close.
        var z = variance > 0 ? -oMinusE / Math.Sqrt(variance * dispersion.Phi) : 0;
        return Tested(result, test, z, dispersion, perWeek, evidence + string.Create(CultureInfo.InvariantCulture,
            $"; closes came {(z > 0 ? "later" : "sooner")} than in the cohorts before (Peto–Peto z = {z:0.#}, dispersion φ = {dispersion.Phi:0.##})"));
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
