using System.Globalization;
using Microsoft.Data.Analysis;
using ServiceRequests.Portal;

namespace ServiceRequests.Metrics;

/// <summary>
/// The city's service-request metrics over a portal-shaped DataFrame (<see cref="PortalSchema"/>,
/// as <see cref="IssueData.Load"/> returns it) and an <see cref="SlaTable"/>: the stats.ipynb
/// weekly table, issues opened per week and month, time to close, SLA compliance, re-opened and
/// duplicate rates, the last weeks side by side and a rolling series; and the tables that are not
/// misled by issues still open or by weekly noise: Kaplan–Meier time to close, fixed-age cohorts,
/// backlog and ageing, and tested changes. Each table is a DataFrame
/// a notebook can display, plot or export. The columns are read once when the object is built;
/// every definition is in docs/metrics.md. This file holds the issues' columns, the request-type
/// index (<see cref="RequestTypeIndex"/>), the week calendar (<see cref="WeekCalendar"/>) and the
/// grouping every table starts from; the tables themselves are in <c>IssueMetrics.Tables.cs</c>.
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

    /// <summary>
    /// The columns the metrics read (every other column is ignored): load only these with
    /// <see cref="IssueLoadOptions.Columns"/> for a large table, e.g.
    /// <c>await IssueData.LoadAsync(path, new() { Columns = IssueMetrics.InputColumns })</c>.
    /// </summary>
    public static IReadOnlyList<string> InputColumns { get; } =
    [
        PortalSchema.Status, PortalSchema.RequestTypeTitle, PortalSchema.CreatedAt, PortalSchema.ClosedAt,
        PortalSchema.ReopenedAt, PortalSchema.UpdatedAt, PortalSchema.CanonicalIssueId,
    ];

    private readonly IssueColumns _columns;
    private readonly RequestTypeIndex _types;
    private readonly WeekCalendar _calendar;
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
        _calendar = new WeekCalendar(Options.WeekStart);
        _columns = IssueColumns.Read(issues, Options);

        _types = new RequestTypeIndex(_columns.TypeNames, sla);
        TypesMissingFromSlaTable = _types.MissingFromSla;
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
    public DateOnly? FirstCreated => _columns.FirstDay < 0 ? null : WeekCalendar.Date(_columns.FirstDay);

    /// <summary>The last local creation date in the data; null without issues.</summary>
    public DateOnly? LastCreated => _columns.LastDay < 0 ? null : WeekCalendar.Date(_columns.LastDay);

    /// <summary>The first day of the last week that ended before <see cref="AsOf"/>'s date; null without issues.</summary>
    public DateOnly? LastCompleteWeek => _columns.FirstDay < 0 ? null : WeekCalendar.Date(_calendar.WeekFirstDay(_calendar.WeekIndex((int)(AsOf.Ticks / TimeSpan.TicksPerDay)) - 1));

    /// <summary>
    /// The first day of the last complete Sunday–Saturday week (or Monday–Sunday, by <see cref="MetricOptions.WeekStart"/>)
    /// that ended on or before <paramref name="to"/> and before <see cref="AsOf"/>'s date (<see cref="LastCompleteWeek"/>):
    /// the week a report up to <paramref name="to"/> tests, never one the data was pulled in the middle of.
    /// </summary>
    public DateOnly LastCompleteWeekBy(DateOnly to)
    {
        var endingByTo = WeekOf(to.AddDays(1)).AddDays(-7);
        return LastCompleteWeek is { } complete && complete < endingByTo ? complete : endingByTo;
    }

    /// <summary>Request types in the data that the SLA table does not list (their SLA metrics are empty, with <see cref="NotInSlaTable"/>).</summary>
    public IReadOnlyList<string> TypesMissingFromSlaTable { get; }

    /// <summary>
    /// Checks that the range from <paramref name="from"/> to <paramref name="to"/> (null: the data's
    /// first or last creation date) lies within the data's creation dates, so that a report never
    /// states a range its data does not cover nor shows weeks outside it.
    /// </summary>
    /// <param name="from">First creation date of the range.</param>
    /// <param name="to">Last creation date of the range.</param>
    /// <exception cref="ServiceRequestsException">The data has no issues, or the range is reversed, holds no issues or reaches outside the data: one line naming the requested range and the data's.</exception>
    public void CheckRange(DateOnly? from, DateOnly? to)
    {
        if (FirstCreated is not { } first || LastCreated is not { } last)
        {
            throw new ServiceRequestsException("The data holds no issues with a creation date, so there is nothing to report.");
        }
        var (a, b) = (from ?? first, to ?? last);
        var data = string.Create(CultureInfo.InvariantCulture, $"the data holds issues created from {first:yyyy-MM-dd} to {last:yyyy-MM-dd}");
        var requested = string.Create(CultureInfo.InvariantCulture, $"The range {a:yyyy-MM-dd} to {b:yyyy-MM-dd}");
        if (a > b)
        {
            throw new ServiceRequestsException($"{requested} ends before it starts; {data}.");
        }
        if (b < first || a > last)
        {
            throw new ServiceRequestsException($"{requested} holds no issues: {data}.");
        }
        if (a < first || b > last)
        {
            throw new ServiceRequestsException($"{requested} reaches outside the data: {data}; give from and to within it.");
        }
    }

    /// <summary>The first day of the week holding <paramref name="date"/>.</summary>
    public DateOnly WeekOf(DateOnly date) => _calendar.WeekOf(date);

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
                $"The range starts on {WeekCalendar.Date(a):yyyy-MM-dd}, after its end {WeekCalendar.Date(b):yyyy-MM-dd}.");
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
            ? Summary.Of(_columns, _types.SlaOfType, _types.Titles.Length, i => day[i] >= a && day[i] <= b ? _types.RowOfType[type[i]] : -1)
            : Summary.Of(_columns, _types.SlaOfType, _types.Departments.Length, i => day[i] >= a && day[i] <= b ? _types.DepartmentOfRow[_types.RowOfType[type[i]]] : -1);
        _last[(int)by] = new CachedSummaries(a, b, summaries);
        return summaries;
    }

    /// <summary>Summaries per week from <paramref name="firstWeek"/> to <paramref name="lastWeek"/>: [0] all types, [1 + row] each type row.</summary>
    private Summary[][] WeekSummaries(int firstWeek, int lastWeek)
    {
        var weeks = lastWeek - firstWeek + 1;
        var rows = _types.Titles.Length;
        var day = _columns.Day;
        var type = _columns.Type;
        var firstDay = _calendar.WeekFirstDay(firstWeek);
        var lastDay = _calendar.WeekFirstDay(lastWeek) + 6;
        var flat = Summary.Of(_columns, _types.SlaOfType, weeks * rows,
            i => day[i] >= firstDay && day[i] <= lastDay ? _types.RowOfType[type[i]] * weeks + (_calendar.WeekIndex(day[i]) - firstWeek) : -1);
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

    private sealed record CachedSummaries(int From, int To, Summary[] Summaries);
}
