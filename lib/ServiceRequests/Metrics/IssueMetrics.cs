using System.Globalization;
using Microsoft.Data.Analysis;

namespace ServiceRequests.Metrics;

/// <summary>
/// The city's service-request metrics over a portal-shaped DataFrame (<see cref="PortalSchema"/>,
/// as <see cref="IssueData.Load"/> returns it) and an <see cref="SlaTable"/>: the stats.ipynb
/// weekly table, issues opened per week and month, time to close, SLA compliance, re-opened and
/// duplicate rates, the last weeks side by side and a rolling series; and the tables that are not
/// misled by issues still open or by weekly noise: Kaplan–Meier time to close, fixed-age cohorts,
/// backlog and ageing, and tested changes. Each table is a DataFrame
/// a notebook can display, plot or export. The columns are read once when the object is built;
/// every definition is in docs/metrics.md.
/// </summary>
/// <remarks>
/// Every per-type table has one row per request type found in the data or listed in the SLA
/// table (so the rows stay the same from week to week), in ordinal order of the title. An issue
/// belongs to a date range by its local creation date; both ends of a range are inclusive, and a
/// range left out (null) means from the first to the last creation date in the data.
/// </remarks>
public sealed partial class IssueMetrics
{
    /// <summary>The <c>request_type_title</c> of rows that pool every request type.</summary>
    public const string AllTypes = "All types";

    /// <summary>The department of request types the SLA table gives none.</summary>
    public const string NoDepartment = "(no department)";

    /// <summary><c>sla_note</c> of a type listed in the SLA table without SLA days.</summary>
    public const string NoSla = "no SLA";

    /// <summary><c>sla_note</c> of a type that is not in the SLA table.</summary>
    public const string NotInSlaTable = "not in SLA table";

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

    private readonly IssueColumns _columns;
    private readonly string[] _titles;
    private readonly SlaEntry?[] _entryOfRow;
    private readonly int[] _rowOfType;
    private readonly double[] _slaOfType;
    private readonly string[] _departments;
    private readonly int[] _departmentOfRow;
    private readonly int _weekShift;
    private readonly CachedSummaries?[] _last = new CachedSummaries?[2];

    /// <summary>Reads the columns of <paramref name="issues"/> once; the tables are computed on demand.</summary>
    /// <param name="issues">Issues in the portal shape: text <c>request_type_title</c> and <c>status</c>; floating timestamps
    /// <c>created_at</c>, <c>closed_at</c>, <c>reopened_at</c>, <c>updated_at</c>; Int64 <c>canonical_issue_id</c>.</param>
    /// <param name="sla">SLA days and department per request type.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">A column is missing or mistyped, or an option is out of range.</exception>
    public IssueMetrics(DataFrame issues, SlaTable sla, MetricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(issues);
        ArgumentNullException.ThrowIfNull(sla);
        Options = options ?? new MetricOptions();
        Options.Validate();
        Sla = sla;
        _weekShift = (int)DayOfWeek.Monday - (int)Options.WeekStart + 7;
        _columns = IssueColumns.Read(issues, Options);

        var dataTypes = _columns.TypeNames;
        var entries = dataTypes.Select(sla.Find).ToArray();
        var matched = entries.Where(e => e is not null).ToHashSet();
        var titles = dataTypes.Concat(sla.Entries.Where(e => !matched.Contains(e)).Select(e => e.RequestType)).ToArray();
        var order = Enumerable.Range(0, titles.Length).OrderBy(i => titles[i], StringComparer.Ordinal).ToArray();
        _titles = [.. order.Select(i => titles[i])];
        _entryOfRow = [.. order.Select(i => i < dataTypes.Count ? entries[i] : sla.Entries.First(e => e.RequestType == titles[i]))];
        _rowOfType = new int[dataTypes.Count];
        for (var row = 0; row < order.Length; row++)
        {
            if (order[row] < dataTypes.Count)
            {
                _rowOfType[order[row]] = row;
            }
        }
        _slaOfType = [.. entries.Select(e => e?.SlaDays ?? double.NaN)];
        var departmentOfRow = _entryOfRow.Select(e => e?.Department ?? NoDepartment).ToArray();
        _departments = [.. departmentOfRow.Distinct().Order(StringComparer.Ordinal)];
        _departmentOfRow = [.. departmentOfRow.Select(d => Array.IndexOf(_departments, d))];
        TypesMissingFromSlaTable = [.. dataTypes.Where((_, i) => entries[i] is null).Order(StringComparer.Ordinal)];
    }

    /// <summary>The settings in use.</summary>
    public MetricOptions Options { get; }

    /// <summary>The SLA table in use.</summary>
    public SlaTable Sla { get; }

    /// <summary>Issues counted (rows with <c>created_at</c>).</summary>
    public int IssueCount => _columns.Count;

    /// <summary>Rows left out of every metric because <c>created_at</c> is null.</summary>
    public int RowsWithoutCreatedAt => _columns.RowsWithoutCreatedAt;

    /// <summary>When open issues' ages are measured: <see cref="MetricOptions.AsOf"/>, or the latest timestamp in the data.</summary>
    public DateTime AsOf => _columns.AsOf;

    /// <summary>The first local creation date in the data; null without issues.</summary>
    public DateOnly? FirstCreated => _columns.FirstDay < 0 ? null : Date(_columns.FirstDay);

    /// <summary>The last local creation date in the data; null without issues.</summary>
    public DateOnly? LastCreated => _columns.LastDay < 0 ? null : Date(_columns.LastDay);

    /// <summary>The first day of the last week that ended before <see cref="AsOf"/>'s date; null without issues.</summary>
    public DateOnly? LastCompleteWeek => _columns.FirstDay < 0 ? null : Date(WeekFirstDay(WeekIndex((int)(AsOf.Ticks / TimeSpan.TicksPerDay)) - 1));

    /// <summary>Request types in the data that the SLA table does not list (their SLA metrics are empty, with <see cref="NotInSlaTable"/>).</summary>
    public IReadOnlyList<string> TypesMissingFromSlaTable { get; }

    /// <summary>The first day of the week holding <paramref name="date"/>.</summary>
    public DateOnly WeekOf(DateOnly date) => Date(WeekFirstDay(WeekIndex(date.DayNumber)));

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
            new StringDataFrameColumn("request_type_title", _titles),
            Int("num_issues", s, x => x.Issues),
            Int("num_closed", s, x => x.Closed),
            new DoubleDataFrameColumn("median_days_create_to_close", s.Select(x => x.MedianDays)),
            new DoubleDataFrameColumn("sla_days_to_close", _entryOfRow.Select(e => e?.SlaDays)),
            new DoubleDataFrameColumn("perc_within_sla", s.Select(x => x.PercWithinSla)),
            Int("num_reopened", s, x => x.Reopened),
            Int("num_duplicates", s, x => x.Duplicates));
        for (var k = 0; k < IssueColumns.StatusNames.Length; k++)
        {
            var status = k;
            frame.Columns.Add(Int("num_status_" + IssueColumns.StatusNames[k].ToLowerInvariant(), s, x => x.Statuses[status]));
        }
        frame.Columns.Add(new StringDataFrameColumn("sla_note", _entryOfRow.Select(SlaNote)));
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
        var first = range is { } r ? WeekIndex(r.From) : 0;
        var periods = range is { } w ? WeekIndex(w.To) - first + 1 : 0;
        return Opened(periods, day => WeekIndex(day) - first,
            p => Date(WeekFirstDay(first + p)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
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
        var first = range is { } r ? MonthIndex(r.From) : 0;
        var periods = range is { } m ? MonthIndex(m.To) - first + 1 : 0;
        return Opened(periods, day => MonthIndex(day) - first,
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
            var withSla = new int[_departments.Length];
            var withoutSla = new int[_departments.Length];
            for (var row = 0; row < _titles.Length; row++)
            {
                (_entryOfRow[row]?.SlaDays is null ? withoutSla : withSla)[_departmentOfRow[row]]++;
            }
            return new DataFrame(
                new StringDataFrameColumn("department", _departments),
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
        bool Has(int row) => _entryOfRow[row]?.SlaDays is not null;
        IEnumerable<int?> IfSla(Func<Summary, int> value) => s.Select((x, row) => Has(row) ? value(x) : (int?)null);
        return new DataFrame(
            new StringDataFrameColumn("request_type_title", _titles),
            new StringDataFrameColumn("department", _departmentOfRow.Select(d => _departments[d])),
            new DoubleDataFrameColumn("sla_days", _entryOfRow.Select(e => e?.SlaDays)),
            Int("num_closed", s, x => x.Closed),
            new Int32DataFrameColumn("num_within_sla", IfSla(x => x.Within)),
            new Int32DataFrameColumn("num_breached", IfSla(x => x.Breached)),
            new DoubleDataFrameColumn("perc_within_sla", s.Select(x => x.PercWithinSla)),
            Int("num_open", s, x => x.Open),
            new Int32DataFrameColumn("num_open_past_sla", IfSla(x => x.OpenPastSla)),
            new StringDataFrameColumn("sla_note", _entryOfRow.Select(SlaNote)));
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
    /// <exception cref="InvalidOperationException">The data has no issues and no week was given.</exception>
    /// <exception cref="ArgumentException">The weeks compared would start before 0001-01-01.</exception>
    public DataFrame LastWeeks(DateOnly? latestWeek = null)
    {
        var latest = WeekIndex((latestWeek ?? LastCompleteWeek ?? throw new InvalidOperationException(
            "The data has no issues, so there is no last complete week: pass the week to show.")).DayNumber);
        var shown = Options.WeeksShown;
        var trailing = Options.RollingWeeks;
        var first = latest - Math.Max(shown - 1, trailing);
        if (WeekFirstDay(first) < 0)
        {
            throw new ArgumentException($"The weeks compared would start before 0001-01-01; pick a later week than {latestWeek:yyyy-MM-dd}.", nameof(latestWeek));
        }
        var weeks = WeekSummaries(first, latest);
        var dataStart = WeekIndex(Math.Max(_columns.FirstDay, 0));

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
                titles.Add(row == 0 ? AllTypes : _titles[row - 1]);
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
            var label = Date(WeekFirstDay(latest - shown + 1 + k)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
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
            var firstWeek = WeekIndex(a.DayNumber);
            var lastWeek = WeekIndex(b.DayNumber);
            if (firstWeek > lastWeek || (from is not null && to is not null && a > b))
            {
                throw new ArgumentException($"The range starts on {a:yyyy-MM-dd}, after its end {b:yyyy-MM-dd}.");
            }
            var window = Options.RollingWeeks;
            var weeks = WeekSummaries(firstWeek - window + 1, lastWeek);
            var dataStart = WeekIndex(Math.Max(_columns.FirstDay, 0));
            var scratch = new Summary.Scratch();
            for (var row = 0; row < weeks.Length; row++)
            {
                for (var w = firstWeek; w <= lastWeek; w++)
                {
                    var index = w - (firstWeek - window + 1);
                    titles.Add(row == 0 ? AllTypes : _titles[row - 1]);
                    starts.Add(Date(WeekFirstDay(w)).ToDateTime(TimeOnly.MinValue));
                    ends.Add(Date(WeekFirstDay(w) + 6).ToDateTime(TimeOnly.MinValue));
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

    /// <summary>The date of a day number; a week starting before 0001-01-01 is labelled by that first day.</summary>
    private static DateOnly Date(int dayNumber) => DateOnly.FromDayNumber(Math.Clamp(dayNumber, 0, DateOnly.MaxValue.DayNumber));

    private int WeekIndex(int dayNumber) => (dayNumber + _weekShift) / 7;

    private int WeekFirstDay(int weekIndex) => weekIndex * 7 - _weekShift;

    private static int MonthIndex(int dayNumber)
    {
        var date = Date(dayNumber);
        return date.Year * 12 + date.Month - 1;
    }

    /// <summary>The creation-day range of a table; null when the data is empty and no date was given.</summary>
    private (int From, int To)? Range(DateOnly? from, DateOnly? to)
    {
        var start = from?.DayNumber ?? (_columns.FirstDay >= 0 ? _columns.FirstDay : to?.DayNumber);
        var end = to?.DayNumber ?? (_columns.LastDay >= 0 ? _columns.LastDay : start);
        if (start is not { } a || end is not { } b)
        {
            return null;
        }
        if (a > b)
        {
            throw new ArgumentException(
                $"The range starts on {Date(a):yyyy-MM-dd}, after its end {Date(b):yyyy-MM-dd}.");
        }
        return (a, b);
    }

    private Summary[] ByType(DateOnly? from, DateOnly? to) => Summaries(from, to, MetricGrouping.RequestType);

    private Summary[] ByDepartment(DateOnly? from, DateOnly? to) => Summaries(from, to, MetricGrouping.Department);

    /// <summary>Summaries per type row or department of the issues created in the range; the last result of each grouping is kept, as tables are often asked for the same range in turn.</summary>
    private Summary[] Summaries(DateOnly? from, DateOnly? to, MetricGrouping by)
    {
        var (a, b) = Range(from, to) ?? (1, 0);
        if (_last[(int)by] is { } last && last.From == a && last.To == b)
        {
            return last.Summaries;
        }
        var day = _columns.Day;
        var type = _columns.Type;
        var summaries = by == MetricGrouping.RequestType
            ? Summary.Of(_columns, _slaOfType, _titles.Length, i => day[i] >= a && day[i] <= b ? _rowOfType[type[i]] : -1)
            : Summary.Of(_columns, _slaOfType, _departments.Length, i => day[i] >= a && day[i] <= b ? _departmentOfRow[_rowOfType[type[i]]] : -1);
        _last[(int)by] = new CachedSummaries(a, b, summaries);
        return summaries;
    }

    /// <summary>Summaries per week from <paramref name="firstWeek"/> to <paramref name="lastWeek"/>: [0] all types, [1 + row] each type row.</summary>
    private Summary[][] WeekSummaries(int firstWeek, int lastWeek)
    {
        var weeks = lastWeek - firstWeek + 1;
        var rows = _titles.Length;
        var day = _columns.Day;
        var type = _columns.Type;
        var firstDay = WeekFirstDay(firstWeek);
        var lastDay = WeekFirstDay(lastWeek) + 6;
        var flat = Summary.Of(_columns, _slaOfType, weeks * rows,
            i => day[i] >= firstDay && day[i] <= lastDay ? _rowOfType[type[i]] * weeks + (WeekIndex(day[i]) - firstWeek) : -1);
        var result = new Summary[rows + 1][];
        for (var row = 0; row < rows; row++)
        {
            result[row + 1] = flat[(row * weeks)..((row + 1) * weeks)];
        }
        result[0] = new Summary[weeks];
        for (var w = 0; w < weeks; w++)
        {
            var week = w;
            result[0][w] = Summary.Pool([.. Enumerable.Range(0, rows).Select(row => result[row + 1][week])]);
        }
        return result;
    }

    private DataFrame Opened(int periods, Func<int, int> periodOfDay, Func<int, string> label)
    {
        var rows = _titles.Length;
        var counts = new int[rows + 1, periods + 1];
        var day = _columns.Day;
        var type = _columns.Type;
        for (var i = 0; i < _columns.Count; i++)
        {
            var p = periods == 0 ? -1 : periodOfDay(day[i]);
            if (p >= 0 && p < periods)
            {
                var row = _rowOfType[type[i]];
                counts[row, p]++;
                counts[row, periods]++;
                counts[rows, p]++;
                counts[rows, periods]++;
            }
        }
        var frame = new DataFrame(new StringDataFrameColumn("request_type_title", _titles.Append(AllTypes)));
        for (var p = 0; p <= periods; p++)
        {
            var period = p;
            frame.Columns.Add(new Int32DataFrameColumn(p == periods ? "total" : label(p), Enumerable.Range(0, rows + 1).Select(r => counts[r, period])));
        }
        return frame;
    }

    private DataFrame KeyColumns(MetricGrouping by) => by == MetricGrouping.RequestType
        ? new DataFrame(
            new StringDataFrameColumn("request_type_title", _titles),
            new StringDataFrameColumn("department", _departmentOfRow.Select(d => _departments[d])))
        : new DataFrame(new StringDataFrameColumn("department", _departments));

    private DataFrame Ranking(Summary[] s, string what, Func<Summary, int> count)
    {
        double? Rate(int row) => s[row].Issues == 0 ? null : count(s[row]) * 100.0 / s[row].Issues;
        var ranked = Enumerable.Range(0, _titles.Length)
            .Where(row => s[row].Issues > 0 && s[row].Issues >= Options.MinimumVolume)
            .OrderByDescending(row => Rate(row)).ThenByDescending(row => count(s[row])).ThenBy(row => _titles[row], StringComparer.Ordinal)
            .ToList();
        var order = ranked.Concat(Enumerable.Range(0, _titles.Length).Except(ranked)).ToList();
        return new DataFrame(
            new StringDataFrameColumn("request_type_title", order.Select(row => _titles[row])),
            new Int32DataFrameColumn("num_issues", order.Select(row => s[row].Issues)),
            new Int32DataFrameColumn("num_" + what, order.Select(row => count(s[row]))),
            new DoubleDataFrameColumn("perc_" + what, order.Select(Rate)),
            new Int32DataFrameColumn("rank", order.Select((_, k) => k < ranked.Count ? k + 1 : (int?)null)));
    }

    private sealed record CachedSummaries(int From, int To, Summary[] Summaries);

    private static string? SlaNote(SlaEntry? entry) => entry is null ? NotInSlaTable : entry.SlaDays is null ? NoSla : null;

    private static Int32DataFrameColumn Int(string name, Summary[] summaries, Func<Summary, int> value) =>
        new(name, summaries.Select(value));
}
