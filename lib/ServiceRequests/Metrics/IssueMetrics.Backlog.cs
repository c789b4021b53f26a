using Microsoft.Data.Analysis;

namespace ServiceRequests.Metrics;

/// <summary>Backlog and ageing: the issues open at a moment, by age bucket, and week by week.</summary>
public sealed partial class IssueMetrics
{
    /// <summary>The age buckets of the backlog tables, in whole days of age: 0–7, 8–30, 31–90, over 90.</summary>
    private static readonly (string Column, int MaxDays)[] AgeBuckets =
        [("open_0_7_days", 7), ("open_8_30_days", 30), ("open_31_90_days", 90), ("open_over_90_days", int.MaxValue)];

    /// <summary>
    /// The backlog at <paramref name="at"/> (a floating time, default <see cref="AsOf"/>): the
    /// issues created by then and not closed by then, per request type (with its
    /// <c>department</c>) or per department, then an <see cref="AllTypes"/> row: <c>num_open,
    /// open_0_7_days, open_8_30_days, open_31_90_days, open_over_90_days</c> (age in whole days at
    /// <paramref name="at"/>), <c>median_age_days, max_age_days</c>. An issue re-opened and not yet
    /// closed again counts as open from its creation (the data keeps only the last close).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="at"/> is after <see cref="AsOf"/> (what happens later is not in the data).</exception>
    public DataFrame Backlog(DateTime? at = null, MetricGrouping by = MetricGrouping.RequestType)
    {
        var moment = at ?? AsOf;
        if (moment > AsOf)
        {
            throw new ArgumentException($"The backlog can be measured up to the data's as-of time {AsOf:yyyy-MM-dd HH:mm}, not at {moment:yyyy-MM-dd HH:mm}.", nameof(at));
        }
        var groups = GroupCount(by);
        var ages = new List<double>[groups + 1];
        for (var g = 0; g <= groups; g++)
        {
            ages[g] = [];
        }
        var ticks = _columns.OnScale(moment);
        for (var i = 0; i < _columns.Count; i++)
        {
            if (OpenAt(i, ticks) is { } age)
            {
                ages[GroupOf(i, by)].Add(age);
                ages[groups].Add(age);
            }
        }
        var frame = GroupColumns(by, withAll: true);
        frame.Columns.Add(new Int32DataFrameColumn("num_open", ages.Select(a => a.Count)));
        for (var b = 0; b < AgeBuckets.Length; b++)
        {
            var bucket = b;
            frame.Columns.Add(new Int32DataFrameColumn(AgeBuckets[b].Column, ages.Select(a => a.Count(d => Bucket(d) == bucket))));
        }
        frame.Columns.Add(new DoubleDataFrameColumn("median_age_days", ages.Select(a => Summary.Median([.. a.Order()]))));
        frame.Columns.Add(new DoubleDataFrameColumn("max_age_days", ages.Select(a => a.Count == 0 ? (double?)null : a.Max())));
        return frame;
    }

    /// <summary>
    /// The backlog week by week: for every week from the week of <paramref name="from"/> (default:
    /// of <see cref="FirstCreated"/>) to the week of <paramref name="to"/> (default
    /// <see cref="LastCompleteWeek"/>), measured at the end of the week (the next week's first day,
    /// 00:00), per request type or department and for <see cref="AllTypes"/>: <c>week_start,
    /// week_end, request_type_title</c> (or <c>department</c>)<c>, num_open, open_0_7_days,
    /// open_8_30_days, open_31_90_days, open_over_90_days</c>. Weeks ending after
    /// <see cref="AsOf"/> are left out.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame BacklogByWeek(DateOnly? from = null, DateOnly? to = null, MetricGrouping by = MetricGrouping.RequestType)
    {
        var start = from ?? FirstCreated;
        var end = to ?? LastCompleteWeek;
        if (start is { } f && end is { } t && f > t)
        {
            throw new ArgumentException($"The range starts on {f:yyyy-MM-dd}, after its end {t:yyyy-MM-dd}.");
        }
        var groups = GroupCount(by);
        var firstWeek = start is { } s ? _calendar.WeekIndex(s.DayNumber) : 0;
        var lastWeek = end is { } e ? _calendar.WeekIndex(e.DayNumber) : -1;
        while (lastWeek >= firstWeek && WeekCalendar.Date(_calendar.WeekFirstDay(lastWeek) + 7).ToDateTime(TimeOnly.MinValue) > AsOf)
        {
            lastWeek--;
        }
        var weeks = Math.Max(0, lastWeek - firstWeek + 1);
        var weekEnds = Enumerable.Range(0, weeks).Select(k => _columns.OnScale(WeekCalendar.Date(_calendar.WeekFirstDay(firstWeek + k) + 7).ToDateTime(TimeOnly.MinValue))).ToArray();
        var counts = new int[weeks, groups + 1, AgeBuckets.Length];
        for (var i = 0; i < _columns.Count && weeks > 0; i++)
        {
            var g = GroupOf(i, by);
            var start0 = _columns.Start[i];
            var closedAt = ClosedAt(i);
            // The first week whose end is at or after the creation, then on while the issue is open.
            var found = Array.BinarySearch(weekEnds, start0);
            var k = found >= 0 ? found : ~found;
            for (; k < weeks && closedAt > weekEnds[k]; k++)
            {
                var bucket = Bucket((weekEnds[k] - start0) / (double)TimeSpan.TicksPerDay);
                counts[k, g, bucket]++;
                counts[k, groups, bucket]++;
            }
        }
        var keys = by == MetricGrouping.RequestType ? _types.Titles : _types.Departments;
        var rows = weeks * (groups + 1);
        var frame = new DataFrame(
            new DateTimeDataFrameColumn("week_start", Enumerable.Range(0, rows).Select(x => WeekCalendar.Date(_calendar.WeekFirstDay(firstWeek + x / (groups + 1))).ToDateTime(TimeOnly.MinValue))),
            new DateTimeDataFrameColumn("week_end", Enumerable.Range(0, rows).Select(x => WeekCalendar.Date(_calendar.WeekFirstDay(firstWeek + x / (groups + 1)) + 6).ToDateTime(TimeOnly.MinValue))),
            new StringDataFrameColumn(by == MetricGrouping.RequestType ? "request_type_title" : "department",
                Enumerable.Range(0, rows).Select(x => x % (groups + 1) is var g && g < groups ? keys[g] : AllTypes)));
        frame.Columns.Add(new Int32DataFrameColumn("num_open", Enumerable.Range(0, rows).Select(x =>
            Enumerable.Range(0, AgeBuckets.Length).Sum(b => counts[x / (groups + 1), x % (groups + 1), b]))));
        for (var b = 0; b < AgeBuckets.Length; b++)
        {
            var bucket = b;
            frame.Columns.Add(new Int32DataFrameColumn(AgeBuckets[b].Column, Enumerable.Range(0, rows).Select(x => counts[x / (groups + 1), x % (groups + 1), bucket])));
        }
        return frame;
    }

    /// <summary>The age in days of issue <paramref name="i"/> at <paramref name="ticks"/> (on the duration scale) if it is open then; null otherwise.</summary>
    private double? OpenAt(int i, long ticks) =>
        _columns.Start[i] <= ticks && ClosedAt(i) > ticks ? (ticks - _columns.Start[i]) / (double)TimeSpan.TicksPerDay : null;

    /// <summary>When issue <paramref name="i"/> closed, on the duration scale; <see cref="long.MaxValue"/> when it is open.</summary>
    private long ClosedAt(int i) => (_columns.Flags[i] & IssueColumns.ClosedFlag) != 0
        ? _columns.Start[i] + (long)Math.Round(_columns.Days[i] * TimeSpan.TicksPerDay)
        : long.MaxValue;

    /// <summary>The age bucket of an age in days (by whole days: 7.9 days is in 0–7).</summary>
    private static int Bucket(double ageDays)
    {
        var whole = Math.Floor(ageDays);
        var b = 0;
        while (whole > AgeBuckets[b].MaxDays)
        {
            b++;
        }
        return b;
    }
}
