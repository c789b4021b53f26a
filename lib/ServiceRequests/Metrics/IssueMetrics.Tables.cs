using System.Globalization;
using Microsoft.Data.Analysis;

namespace ServiceRequests.Metrics;

/// <summary>The tables of <see cref="IssueMetrics"/>, each a DataFrame built from the grouped summaries.</summary>
public sealed partial class IssueMetrics
{
    private static readonly (string Name, Func<Summary, double?> Value)[] WeeklyMetrics =
    [
        ("num_issues", s => s.Issues),
        ("num_closed", s => s.Closed),
        ("num_open", s => s.Open),
        ("mean_days_to_close", s => s.MeanDays),
        ("median_days_to_close", s => s.MedianDays),
        ("p90_days_to_close", s => Summary.Quantile(s.ClosedDays, 0.9)),
        ("perc_within_sla", s => s.PercWithinSla),
        ("num_breached", s => s.ClosedWithSla + s.OpenWithSla == 0 ? null : s.Breached),
        ("perc_reopened", s => s.PercReopened),
        ("perc_duplicates", s => s.PercDuplicates),
    ];

    /// <summary>
    /// The city's stats.ipynb table for the issues created from <paramref name="from"/> to
    /// <paramref name="to"/> (one week in the original): <c>request_type_title, num_issues,
    /// num_closed, median_days_create_to_close, sla_days_to_close, perc_within_sla,
    /// num_reopened, num_duplicates</c>, then a count per status (<c>num_status_open,
    /// num_status_acknowledged, num_status_closed, num_status_archived, num_status_other</c>)
    /// and <c>sla_note</c>. Use <see cref="DurationMode.WallClock"/> to reproduce the original's days.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame Stats(DateOnly? from = null, DateOnly? to = null)
    {
        var s = ByType(from, to);
        var frame = new DataFrame(
            new StringDataFrameColumn("request_type_title", _types.Titles),
            Int("num_issues", s, x => x.Issues),
            Int("num_closed", s, x => x.Closed),
            new DoubleDataFrameColumn("median_days_create_to_close", s.Select(x => x.MedianDays)),
            new DoubleDataFrameColumn("sla_days_to_close", _types.EntryOfRow.Select(e => e?.SlaDays)),
            new DoubleDataFrameColumn("perc_within_sla", s.Select(x => x.PercWithinSla)),
            Int("num_reopened", s, x => x.Reopened),
            Int("num_duplicates", s, x => x.Duplicates));
        for (var k = 0; k < IssueColumns.StatusNames.Length; k++)
        {
            var status = k;
            frame.Columns.Add(Int("num_status_" + IssueColumns.StatusNames[k].ToLowerInvariant(), s, x => x.Statuses[status]));
        }
        frame.Columns.Add(new StringDataFrameColumn("sla_note", _types.EntryOfRow.Select(SlaNote)));
        return frame;
    }

    /// <summary>
    /// Issues opened per request type per week: <c>request_type_title</c>, one column per week
    /// named by its first day (<c>yyyy-MM-dd</c>), and <c>total</c>; the last row,
    /// <see cref="AllTypes"/>, holds the totals. The range is widened to whole weeks.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame OpenedByWeek(DateOnly? from = null, DateOnly? to = null)
    {
        var range = Range(from, to);
        var first = range is { } r ? _calendar.WeekIndex(r.From) : 0;
        var periods = range is { } w ? _calendar.WeekIndex(w.To) - first + 1 : 0;
        return Opened(periods, day => _calendar.WeekIndex(day) - first,
            p => WeekCalendar.Date(_calendar.WeekFirstDay(first + p)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Issues opened per request type per calendar month: <c>request_type_title</c>, one column
    /// per month named <c>yyyy-MM</c>, and <c>total</c>; the last row, <see cref="AllTypes"/>,
    /// holds the totals. The range is widened to whole months.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame OpenedByMonth(DateOnly? from = null, DateOnly? to = null)
    {
        var range = Range(from, to);
        var first = range is { } r ? WeekCalendar.MonthIndex(r.From) : 0;
        var periods = range is { } m ? WeekCalendar.MonthIndex(m.To) - first + 1 : 0;
        return Opened(periods, day => WeekCalendar.MonthIndex(day) - first,
            p => new DateOnly((first + p) / 12, (first + p) % 12 + 1, 1).ToString("yyyy-MM", CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Time to close per request type or department, over the issues created in the range:
    /// <c>num_issues, num_closed, mean_days_to_close, p10_days_to_close, p25_days_to_close,
    /// median_days_to_close, p75_days_to_close, p90_days_to_close</c> (closed issues; linear
    /// percentiles), and <c>num_open, median_open_age_days, max_open_age_days</c> (issues still
    /// open, aged at <see cref="AsOf"/>). Per type, <c>department</c> follows the title.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame TimeToClose(DateOnly? from = null, DateOnly? to = null, MetricGrouping by = MetricGrouping.RequestType)
    {
        var s = by == MetricGrouping.RequestType ? ByType(from, to) : ByDepartment(from, to);
        var frame = KeyColumns(by);
        frame.Columns.Add(Int("num_issues", s, x => x.Issues));
        frame.Columns.Add(Int("num_closed", s, x => x.Closed));
        frame.Columns.Add(new DoubleDataFrameColumn("mean_days_to_close", s.Select(x => x.MeanDays)));
        frame.Columns.Add(new DoubleDataFrameColumn("p10_days_to_close", s.Select(x => Summary.Quantile(x.ClosedDays, 0.10))));
        frame.Columns.Add(new DoubleDataFrameColumn("p25_days_to_close", s.Select(x => Summary.Quantile(x.ClosedDays, 0.25))));
        frame.Columns.Add(new DoubleDataFrameColumn("median_days_to_close", s.Select(x => x.MedianDays)));
        frame.Columns.Add(new DoubleDataFrameColumn("p75_days_to_close", s.Select(x => Summary.Quantile(x.ClosedDays, 0.75))));
        frame.Columns.Add(new DoubleDataFrameColumn("p90_days_to_close", s.Select(x => Summary.Quantile(x.ClosedDays, 0.90))));
        frame.Columns.Add(Int("num_open", s, x => x.Open));
        frame.Columns.Add(new DoubleDataFrameColumn("median_open_age_days", s.Select(x => Summary.Median(x.OpenAges))));
        frame.Columns.Add(new DoubleDataFrameColumn("max_open_age_days", s.Select(x => x.OpenAges.Length == 0 ? (double?)null : x.OpenAges[^1])));
        return frame;
    }

    /// <summary>
    /// SLA compliance over the issues created in the range. Per request type:
    /// <c>request_type_title, department, sla_days, num_closed, num_within_sla</c> (closed with
    /// 0 &lt; days &lt; SLA), <c>num_breached</c> (closed with days ≥ SLA), <c>perc_within_sla,
    /// num_open, num_open_past_sla</c> (open, age ≥ SLA) and <c>sla_note</c>; types without an
    /// SLA keep their row with empty SLA figures. Per department: <c>department,
    /// num_types_with_sla, num_types_without_sla</c> and the same counts over the issues of its
    /// types that have an SLA.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame SlaCompliance(DateOnly? from = null, DateOnly? to = null, MetricGrouping by = MetricGrouping.RequestType)
    {
        if (by == MetricGrouping.Department)
        {
            var d = ByDepartment(from, to);
            var withSla = new int[_types.Departments.Length];
            var withoutSla = new int[_types.Departments.Length];
            for (var row = 0; row < _types.Titles.Length; row++)
            {
                (_types.EntryOfRow[row]?.SlaDays is null ? withoutSla : withSla)[_types.DepartmentOfRow[row]]++;
            }
            return new DataFrame(
                new StringDataFrameColumn("department", _types.Departments),
                new Int32DataFrameColumn("num_types_with_sla", withSla),
                new Int32DataFrameColumn("num_types_without_sla", withoutSla),
                Int("num_closed", d, x => x.ClosedWithSla),
                Int("num_within_sla", d, x => x.Within),
                Int("num_breached", d, x => x.Breached),
                new DoubleDataFrameColumn("perc_within_sla", d.Select(x => x.PercWithinSla)),
                Int("num_open", d, x => x.OpenWithSla),
                Int("num_open_past_sla", d, x => x.OpenPastSla));
        }
        var s = ByType(from, to);
        bool Has(int row) => _types.EntryOfRow[row]?.SlaDays is not null;
        IEnumerable<int?> IfSla(Func<Summary, int> value) => s.Select((x, row) => Has(row) ? value(x) : (int?)null);
        return new DataFrame(
            new StringDataFrameColumn("request_type_title", _types.Titles),
            new StringDataFrameColumn("department", _types.DepartmentOfRow.Select(d => _types.Departments[d])),
            new DoubleDataFrameColumn("sla_days", _types.EntryOfRow.Select(e => e?.SlaDays)),
            Int("num_closed", s, x => x.Closed),
            new Int32DataFrameColumn("num_within_sla", IfSla(x => x.Within)),
            new Int32DataFrameColumn("num_breached", IfSla(x => x.Breached)),
            new DoubleDataFrameColumn("perc_within_sla", s.Select(x => x.PercWithinSla)),
            Int("num_open", s, x => x.Open),
            new Int32DataFrameColumn("num_open_past_sla", IfSla(x => x.OpenPastSla)),
            new StringDataFrameColumn("sla_note", _types.EntryOfRow.Select(SlaNote)));
    }

    /// <summary>
    /// Re-opened issues (<c>reopened_at</c> set) per request type over the issues created in the
    /// range: <c>request_type_title, num_issues, num_reopened, perc_reopened, rank</c>. Types with
    /// at least <see cref="MetricOptions.MinimumVolume"/> issues are ranked 1, 2, ... by rate
    /// (highest first; ties by count, then title) and listed first; the others have no rank.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame Reopened(DateOnly? from = null, DateOnly? to = null) => Ranking(ByType(from, to), "reopened", x => x.Reopened);

    /// <summary>
    /// Duplicates (<c>canonical_issue_id</c> set) per request type over the issues created in the
    /// range: <c>request_type_title, num_issues, num_duplicates, perc_duplicates, rank</c>, ranked
    /// as in <see cref="Reopened"/>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame Duplicates(DateOnly? from = null, DateOnly? to = null) => Ranking(ByType(from, to), "duplicates", x => x.Duplicates);

    /// <summary>
    /// The last <see cref="MetricOptions.WeeksShown"/> weeks side by side, up to the week holding
    /// <paramref name="latestWeek"/> (default <see cref="LastCompleteWeek"/>). One row per request
    /// type (<see cref="AllTypes"/> first) and metric (<c>num_issues, num_closed, num_open,
    /// mean_days_to_close, median_days_to_close, p90_days_to_close, perc_within_sla, num_breached,
    /// perc_reopened, perc_duplicates</c>, each over the issues created that week); columns
    /// <c>request_type_title, metric</c>, one per week named by its first day (<c>yyyy-MM-dd</c>),
    /// then for the latest week: <c>change_vs_previous_week</c> (difference),
    /// <c>trailing_average</c> (mean over the <see cref="MetricOptions.RollingWeeks"/> weeks before
    /// it), <c>change_vs_trailing_average_pct</c> and <c>flagged</c> (the change is at least
    /// <see cref="MetricOptions.ChangeThresholdPercent"/> and rests on at least
    /// <see cref="MetricOptions.MinimumVolume"/> issues).
    /// </summary>
    /// <exception cref="ServiceRequestsException">The data has no issues and no week was given.</exception>
    /// <exception cref="ArgumentException">The weeks compared would start before 0001-01-01.</exception>
    public DataFrame LastWeeks(DateOnly? latestWeek = null)
    {
        var latest = _calendar.WeekIndex((latestWeek ?? LastCompleteWeek ?? throw new ServiceRequestsException(
            "The data has no issues, so there is no last complete week: pass the week to show.")).DayNumber);
        var shown = Options.WeeksShown;
        var trailing = Options.RollingWeeks;
        var first = latest - Math.Max(shown - 1, trailing);
        if (_calendar.WeekFirstDay(first) < 0)
        {
            throw new ArgumentException($"The weeks compared would start before 0001-01-01; pick a later week than {latestWeek:yyyy-MM-dd}.", nameof(latestWeek));
        }
        var weeks = WeekSummaries(first, latest);
        var dataStart = _calendar.WeekIndex(Math.Max(_columns.FirstDay, 0));

        var titles = new List<string>();
        var metrics = new List<string>();
        var values = new List<double?>[shown];
        for (var k = 0; k < shown; k++)
        {
            values[k] = [];
        }
        var changePrevious = new List<double?>();
        var average = new List<double?>();
        var changePct = new List<double?>();
        var flagged = new List<bool>();
        for (var row = 0; row < weeks.Length; row++)
        {
            var byWeek = weeks[row];
            var volume = 0;
            for (var w = latest - trailing; w <= latest; w++)
            {
                volume += w >= dataStart ? byWeek[w - first].Issues : 0;
            }
            foreach (var (name, value) in WeeklyMetrics)
            {
                titles.Add(row == 0 ? AllTypes : _types.Titles[row - 1]);
                metrics.Add(name);
                for (var k = 0; k < shown; k++)
                {
                    values[k].Add(value(byWeek[latest - shown + 1 + k - first]));
                }
                var now = value(byWeek[latest - first]);
                var previous = value(byWeek[latest - 1 - first]);
                var before = Enumerable.Range(latest - trailing, trailing)
                    .Where(w => w >= dataStart).Select(w => value(byWeek[w - first])).OfType<double>().ToList();
                double? mean = before.Count == 0 ? null : before.Average();
                double? pct = now is { } n && mean is { } m && m != 0 ? (n - m) / Math.Abs(m) * 100 : null;
                changePrevious.Add(now - previous);
                average.Add(mean);
                changePct.Add(pct);
                flagged.Add(pct is { } p && Math.Abs(p) >= Options.ChangeThresholdPercent && volume >= Options.MinimumVolume);
            }
        }
        var frame = new DataFrame(new StringDataFrameColumn("request_type_title", titles), new StringDataFrameColumn("metric", metrics));
        for (var k = 0; k < shown; k++)
        {
            var label = WeekCalendar.Date(_calendar.WeekFirstDay(latest - shown + 1 + k)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            frame.Columns.Add(new DoubleDataFrameColumn(label, values[k]));
        }
        frame.Columns.Add(new DoubleDataFrameColumn("change_vs_previous_week", changePrevious));
        frame.Columns.Add(new DoubleDataFrameColumn("trailing_average", average));
        frame.Columns.Add(new DoubleDataFrameColumn("change_vs_trailing_average_pct", changePct));
        frame.Columns.Add(new BooleanDataFrameColumn("flagged", flagged));
        return frame;
    }

    /// <summary>
    /// A rolling series for trend charts: for every week from the week of <paramref name="from"/>
    /// (default: of <see cref="FirstCreated"/>) to the week of <paramref name="to"/> (default
    /// <see cref="LastCompleteWeek"/>), per request type (<see cref="AllTypes"/> first):
    /// <c>request_type_title, week_start, week_end, num_issues</c> (that week), and over the
    /// issues created in the <see cref="MetricOptions.RollingWeeks"/> weeks ending with it:
    /// <c>rolling_num_issues, rolling_num_closed, rolling_median_days_to_close,
    /// rolling_perc_within_sla, rolling_perc_reopened, rolling_perc_duplicates</c>. The rolling
    /// values are empty while the window starts before the data's first week.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame RollingSeries(DateOnly? from = null, DateOnly? to = null)
    {
        var titles = new List<string>();
        var starts = new List<DateTime>();
        var ends = new List<DateTime>();
        var issues = new List<int>();
        var rolling = new List<(Summary Counts, double? Median)?>();
        var start = from ?? FirstCreated;
        var end = to ?? (LastCompleteWeek is { } complete && FirstCreated is { } firstDate && complete >= WeekOf(firstDate) ? complete : LastCreated);
        if (start is { } a && end is { } b)
        {
            var firstWeek = _calendar.WeekIndex(a.DayNumber);
            var lastWeek = _calendar.WeekIndex(b.DayNumber);
            if (firstWeek > lastWeek || (from is not null && to is not null && a > b))
            {
                throw new ArgumentException($"The range starts on {a:yyyy-MM-dd}, after its end {b:yyyy-MM-dd}.");
            }
            var window = Options.RollingWeeks;
            var weeks = WeekSummaries(firstWeek - window + 1, lastWeek);
            var dataStart = _calendar.WeekIndex(Math.Max(_columns.FirstDay, 0));
            var scratch = new Summary.Scratch();
            for (var row = 0; row < weeks.Length; row++)
            {
                for (var w = firstWeek; w <= lastWeek; w++)
                {
                    var index = w - (firstWeek - window + 1);
                    titles.Add(row == 0 ? AllTypes : _types.Titles[row - 1]);
                    starts.Add(WeekCalendar.Date(_calendar.WeekFirstDay(w)).ToDateTime(TimeOnly.MinValue));
                    ends.Add(WeekCalendar.Date(_calendar.WeekFirstDay(w) + 6).ToDateTime(TimeOnly.MinValue));
                    issues.Add(weeks[row][index].Issues);
                    var parts = new ArraySegment<Summary>(weeks[row], index - window + 1, window);
                    rolling.Add(w - window + 1 < dataStart || _columns.Count == 0 ? null : (Summary.Pool(parts, values: false), Summary.PooledMedianDays(parts, scratch)));
                }
            }
        }
        return new DataFrame(
            new StringDataFrameColumn("request_type_title", titles),
            new DateTimeDataFrameColumn("week_start", starts),
            new DateTimeDataFrameColumn("week_end", ends),
            new Int32DataFrameColumn("num_issues", issues),
            new Int32DataFrameColumn("rolling_num_issues", rolling.Select(r => r?.Counts.Issues)),
            new Int32DataFrameColumn("rolling_num_closed", rolling.Select(r => r?.Counts.Closed)),
            new DoubleDataFrameColumn("rolling_median_days_to_close", rolling.Select(r => r?.Median)),
            new DoubleDataFrameColumn("rolling_perc_within_sla", rolling.Select(r => r?.Counts.PercWithinSla)),
            new DoubleDataFrameColumn("rolling_perc_reopened", rolling.Select(r => r?.Counts.PercReopened)),
            new DoubleDataFrameColumn("rolling_perc_duplicates", rolling.Select(r => r?.Counts.PercDuplicates)));
    }

    private DataFrame Opened(int periods, Func<int, int> periodOfDay, Func<int, string> label)
    {
        var rows = _types.Titles.Length;
        var counts = new int[rows + 1, periods + 1];
        var day = _columns.Day;
        var type = _columns.Type;
        for (var i = 0; i < _columns.Count; i++)
        {
            var p = periods == 0 ? -1 : periodOfDay(day[i]);
            if (p >= 0 && p < periods)
            {
                var row = _types.RowOfType[type[i]];
                counts[row, p]++;
                counts[row, periods]++;
                counts[rows, p]++;
                counts[rows, periods]++;
            }
        }
        var frame = new DataFrame(new StringDataFrameColumn("request_type_title", _types.Titles.Append(AllTypes)));
        for (var p = 0; p <= periods; p++)
        {
            var period = p;
            frame.Columns.Add(new Int32DataFrameColumn(p == periods ? "total" : label(p), Enumerable.Range(0, rows + 1).Select(r => counts[r, period])));
        }
        return frame;
    }

    private DataFrame KeyColumns(MetricGrouping by) => by == MetricGrouping.RequestType
        ? new DataFrame(
            new StringDataFrameColumn("request_type_title", _types.Titles),
            new StringDataFrameColumn("department", _types.DepartmentOfRow.Select(d => _types.Departments[d])))
        : new DataFrame(new StringDataFrameColumn("department", _types.Departments));

    private DataFrame Ranking(Summary[] s, string what, Func<Summary, int> count)
    {
        double? Rate(int row) => s[row].Issues == 0 ? null : count(s[row]) * 100.0 / s[row].Issues;
        var ranked = Enumerable.Range(0, _types.Titles.Length)
            .Where(row => s[row].Issues > 0 && s[row].Issues >= Options.MinimumVolume)
            .OrderByDescending(row => Rate(row)).ThenByDescending(row => count(s[row])).ThenBy(row => _types.Titles[row], StringComparer.Ordinal)
            .ToList();
        var order = ranked.Concat(Enumerable.Range(0, _types.Titles.Length).Except(ranked)).ToList();
        return new DataFrame(
            new StringDataFrameColumn("request_type_title", order.Select(row => _types.Titles[row])),
            new Int32DataFrameColumn("num_issues", order.Select(row => s[row].Issues)),
            new Int32DataFrameColumn("num_" + what, order.Select(row => count(s[row]))),
            new DoubleDataFrameColumn("perc_" + what, order.Select(Rate)),
            new Int32DataFrameColumn("rank", order.Select((_, k) => k < ranked.Count ? k + 1 : (int?)null)));
    }

    private static string? SlaNote(SlaEntry? entry) => entry is null ? NotInSlaTable : entry.SlaDays is null ? NoSla : null;

    private static Int32DataFrameColumn Int(string name, Summary[] summaries, Func<Summary, int> value) =>
        new(name, summaries.Select(value));
}
