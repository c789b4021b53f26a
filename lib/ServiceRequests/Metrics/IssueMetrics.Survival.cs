using System.Globalization;
using Microsoft.Data.Analysis;

namespace ServiceRequests.Metrics;

/// <summary>Time to close that counts the issues still open: Kaplan–Meier per group and per creation week.</summary>
public sealed partial class IssueMetrics
{
    /// <summary>
    /// Time to close that counts still-open issues (Kaplan–Meier), over the issues created in the
    /// range, per request type (with its <c>department</c>, then an <see cref="AllTypes"/> row) or
    /// per department: <c>num_issues, num_closed, num_open</c> (open and archived-without-close
    /// issues are censored at their age at <see cref="AsOf"/>), <c>median_days, median_low,
    /// median_high, p90_days, p90_low, p90_high</c> (the days by which half and 90 % have closed,
    /// with 95 % log-log intervals; empty when not reached or unbounded) and <c>note</c> (says which
    /// figure was not reached and the share closed by the longest follow-up).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame TimeToCloseSurvival(DateOnly? from = null, DateOnly? to = null, MetricGrouping by = MetricGrouping.RequestType)
    {
        var (a, b) = Range(from, to) ?? (1, 0);
        var groups = GroupCount(by);
        var day = _columns.Day;
        var estimates = Survivals(groups, i => day[i] >= a && day[i] <= b ? GroupOf(i, by) : -1, withAll: by == MetricGrouping.RequestType);
        var frame = GroupColumns(by, withAll: by == MetricGrouping.RequestType);
        AddSurvivalColumns(frame, estimates);
        return frame;
    }

    /// <summary>
    /// Kaplan–Meier time to close per creation-week cohort, from the week of
    /// <paramref name="from"/> (default: of <see cref="FirstCreated"/>) to the week of
    /// <paramref name="to"/> (default: of <see cref="LastCreated"/>), for one request type or all
    /// (<see cref="AllTypes"/>, the default): <c>week_start, week_end</c>, then the columns of
    /// <see cref="TimeToCloseSurvival"/>. Recent cohorts have had little time, so their medians are
    /// often "not reached" rather than short.
    /// </summary>
    /// <exception cref="ArgumentException">The range is reversed, or the request type is neither in the data nor in the SLA table.</exception>
    public DataFrame TimeToCloseSurvivalByWeek(DateOnly? from = null, DateOnly? to = null, string requestType = AllTypes)
    {
        ArgumentNullException.ThrowIfNull(requestType);
        var row = TypeRow(requestType);
        var range = Range(from, to);
        var firstWeek = range is { } r ? _calendar.WeekIndex(r.From) : 0;
        var weeks = range is { } w ? _calendar.WeekIndex(w.To) - firstWeek + 1 : 0;
        var day = _columns.Day;
        var type = _columns.Type;
        var estimates = Survivals(weeks, i =>
        {
            var week = _calendar.WeekIndex(day[i]) - firstWeek;
            return week < 0 || week >= weeks || (row >= 0 && _types.RowOfType[type[i]] != row) ? -1 : week;
        }, withAll: false);
        var frame = new DataFrame(
            new DateTimeDataFrameColumn("week_start", Enumerable.Range(0, weeks).Select(k => WeekCalendar.Date(_calendar.WeekFirstDay(firstWeek + k)).ToDateTime(TimeOnly.MinValue))),
            new DateTimeDataFrameColumn("week_end", Enumerable.Range(0, weeks).Select(k => WeekCalendar.Date(_calendar.WeekFirstDay(firstWeek + k) + 6).ToDateTime(TimeOnly.MinValue))));
        AddSurvivalColumns(frame, estimates);
        return frame;
    }

    /// <summary>The type row of a title (ordinal, as in the tables), or -1 for <see cref="AllTypes"/>.</summary>
    private int TypeRow(string requestType)
    {
        if (requestType == AllTypes)
        {
            return -1;
        }
        var row = Array.IndexOf(_types.Titles, requestType);
        return row >= 0 ? row : throw new ArgumentException(
            $"No request type '{requestType}' in the data or the SLA table; pass one of the titles of the tables, or {AllTypes}.", nameof(requestType));
    }

    /// <summary>Number of groups of a per-type or per-department table.</summary>
    private int GroupCount(MetricGrouping by) => by == MetricGrouping.RequestType ? _types.Titles.Length : _types.Departments.Length;

    /// <summary>The group (type row or department) of issue <paramref name="i"/>.</summary>
    private int GroupOf(int i, MetricGrouping by)
    {
        var row = _types.RowOfType[_columns.Type[i]];
        return by == MetricGrouping.RequestType ? row : _types.DepartmentOfRow[row];
    }

    /// <summary>The key columns of a per-group table, with an <see cref="AllTypes"/> row last when asked.</summary>
    private DataFrame GroupColumns(MetricGrouping by, bool withAll)
    {
        var frame = KeyColumns(by);
        if (withAll)
        {
            frame = new DataFrame(frame.Columns.Select(c => (DataFrameColumn)new StringDataFrameColumn(c.Name,
                c.Cast<string>().Append(c.Name == "department" && by == MetricGrouping.RequestType ? null : AllTypes))));
        }
        return frame;
    }

    /// <summary>Kaplan–Meier estimates per group of <paramref name="keyOf"/> (-1: left out), and one of all included issues last when asked.</summary>
    private KaplanMeier[] Survivals(int groups, Func<int, int> keyOf, bool withAll)
    {
        var times = new List<double>[groups + (withAll ? 1 : 0)];
        var closed = new List<bool>[times.Length];
        for (var g = 0; g < times.Length; g++)
        {
            times[g] = [];
            closed[g] = [];
        }
        for (var i = 0; i < _columns.Count; i++)
        {
            var key = keyOf(i);
            if (key < 0)
            {
                continue;
            }
            var isClosed = (_columns.Flags[i] & IssueColumns.ClosedFlag) != 0;
            times[key].Add(_columns.Days[i]);
            closed[key].Add(isClosed);
            if (withAll)
            {
                times[groups].Add(_columns.Days[i]);
                closed[groups].Add(isClosed);
            }
        }
        return [.. times.Select((t, g) => KaplanMeier.Estimate(t.ToArray(), closed[g].ToArray()))];
    }

    private static void AddSurvivalColumns(DataFrame frame, KaplanMeier[] estimates)
    {
        var median = estimates.Select(e => e.Quantile(0.5)).ToArray();
        var p90 = estimates.Select(e => e.Quantile(0.9)).ToArray();
        frame.Columns.Add(new Int32DataFrameColumn("num_issues", estimates.Select(e => e.Count)));
        frame.Columns.Add(new Int32DataFrameColumn("num_closed", estimates.Select(e => e.Closed)));
        frame.Columns.Add(new Int32DataFrameColumn("num_open", estimates.Select(e => e.Count - e.Closed)));
        frame.Columns.Add(new DoubleDataFrameColumn("median_days", median.Select(q => q.Estimate)));
        frame.Columns.Add(new DoubleDataFrameColumn("median_low", median.Select(q => q.Low)));
        frame.Columns.Add(new DoubleDataFrameColumn("median_high", median.Select(q => q.High)));
        frame.Columns.Add(new DoubleDataFrameColumn("p90_days", p90.Select(q => q.Estimate)));
        frame.Columns.Add(new DoubleDataFrameColumn("p90_low", p90.Select(q => q.Low)));
        frame.Columns.Add(new DoubleDataFrameColumn("p90_high", p90.Select(q => q.High)));
        frame.Columns.Add(new StringDataFrameColumn("note", estimates.Select((e, k) => SurvivalNote(e, median[k].Estimate, p90[k].Estimate))));
    }

    /// <summary>Why a quantile is empty: no issues, or not reached (with the share closed by the longest follow-up).</summary>
    private static string? SurvivalNote(KaplanMeier estimate, double? median, double? p90)
    {
        if (estimate.Count == 0)
        {
            return "no issues";
        }
        if (p90 is not null)
        {
            return null;
        }
        var closed = 100 * (1 - (estimate.Survival.Length == 0 ? 1 : estimate.Survival[^1]));
        var what = median is null ? "median and p90" : "p90";
        return string.Create(CultureInfo.InvariantCulture, $"{what} not reached: {closed:0.#} % closed");
    }
}
