using Microsoft.Data.Analysis;

namespace ServiceRequests.Metrics;

/// <summary>Fixed-age cohort shares: closed within SLA, within 7 and within 30 days, final only once the cohort is old enough.</summary>
public sealed partial class IssueMetrics
{
    /// <summary>The <c>measure</c> of <see cref="CohortCompliance"/> rows: closed within the type's SLA.</summary>
    public const string WithinSla = "within_sla";

    /// <summary>The <c>measure</c> of <see cref="CohortCompliance"/> rows: closed within 7 days.</summary>
    public const string ClosedWithin7Days = "closed_within_7_days";

    /// <summary>The <c>measure</c> of <see cref="CohortCompliance"/> rows: closed within 30 days.</summary>
    public const string ClosedWithin30Days = "closed_within_30_days";

    private static readonly (string Measure, double? Days)[] CohortMeasures = [(WithinSla, null), (ClosedWithin7Days, 7), (ClosedWithin30Days, 30)];

    /// <summary>
    /// Fixed-age cohort shares. For every creation week from the week of <paramref name="from"/>
    /// to the week of <paramref name="to"/> (defaults: the first and last creation dates), every
    /// request type (then <see cref="AllTypes"/>) or department, and every measure
    /// (<see cref="WithinSla"/>, <see cref="ClosedWithin7Days"/>, <see cref="ClosedWithin30Days"/>):
    /// <c>week_start, request_type_title</c> (or <c>department</c>)<c>, measure, limit_days,
    /// num_issues, num_met, perc_met, perc_low, perc_high, state, final_at</c>. The share is of
    /// <em>all</em> the cohort's issues (those still open count as not met; within SLA: of the
    /// issues of types with an SLA) closed with 0 &lt; days &lt; the limit. A row is
    /// <c>final</c> only once the youngest possible issue of the week is <c>limit_days</c> old at
    /// <see cref="AsOf"/> (<c>final_at</c>, a floating time); until then it is <c>pending</c> and
    /// <c>num_met</c> and the share are empty. Pooled rows take the longest SLA of their types as the limit that makes
    /// them final. <c>perc_low, perc_high</c>: the 95 % Wilson interval. Other states:
    /// <c>no SLA</c>, <c>no issues</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame CohortCompliance(DateOnly? from = null, DateOnly? to = null, MetricGrouping by = MetricGrouping.RequestType)
    {
        var range = Range(from, to);
        var firstWeek = range is { } r ? _calendar.WeekIndex(r.From) : 0;
        var weeks = range is { } w ? _calendar.WeekIndex(w.To) - firstWeek + 1 : 0;
        var withAll = by == MetricGrouping.RequestType;
        var groups = GroupCount(by) + (withAll ? 1 : 0);
        var counts = CohortCounts(firstWeek, weeks, by, withAll);
        var limits = GroupSlaLimits(by, withAll);

        var keyName = by == MetricGrouping.RequestType ? "request_type_title" : "department";
        var keys = by == MetricGrouping.RequestType ? _types.Titles : _types.Departments;
        var weekStarts = new List<DateTime>();
        var groupNames = new List<string>();
        var measures = new List<string>();
        var limitDays = new List<double?>();
        var issues = new List<int?>();
        var met = new List<int?>();
        var perc = new List<double?>();
        var low = new List<double?>();
        var high = new List<double?>();
        var states = new List<string>();
        var finalAt = new List<DateTime?>();
        for (var k = 0; k < weeks; k++)
        {
            for (var g = 0; g < groups; g++)
            {
                for (var m = 0; m < CohortMeasures.Length; m++)
                {
                    var (measure, days) = CohortMeasures[m];
                    var limit = days ?? limits[g];
                    var (n, x) = counts[k, g, m];
                    DateTime? final = limit is { } l ? CohortFinalAt(firstWeek + k, l) : null;
                    var state = limit is null ? "no SLA" : final > AsOf ? "pending" : n == 0 ? "no issues" : "final";
                    var interval = state == "final" ? Inference.Wilson(x, n) : null;
                    weekStarts.Add(WeekCalendar.Date(_calendar.WeekFirstDay(firstWeek + k)).ToDateTime(TimeOnly.MinValue));
                    groupNames.Add(g < keys.Length ? keys[g] : AllTypes);
                    measures.Add(measure);
                    limitDays.Add(limit);
                    issues.Add(limit is null ? null : n);
                    met.Add(state is "final" or "no issues" ? x : null);
                    perc.Add(state == "final" ? 100.0 * x / n : null);
                    low.Add(interval?.Low * 100);
                    high.Add(interval?.High * 100);
                    states.Add(state);
                    finalAt.Add(final);
                }
            }
        }
        return new DataFrame(
            new DateTimeDataFrameColumn("week_start", weekStarts),
            new StringDataFrameColumn(keyName, groupNames),
            new StringDataFrameColumn("measure", measures),
            new DoubleDataFrameColumn("limit_days", limitDays),
            new Int32DataFrameColumn("num_issues", issues),
            new Int32DataFrameColumn("num_met", met),
            new DoubleDataFrameColumn("perc_met", perc),
            new DoubleDataFrameColumn("perc_low", low),
            new DoubleDataFrameColumn("perc_high", high),
            new StringDataFrameColumn("state", states),
            new DateTimeDataFrameColumn("final_at", finalAt));
    }

    /// <summary>
    /// When the cohort of week <paramref name="week"/> is final for a limit of <paramref name="days"/>:
    /// the local midnight after the week's last date plus that many days (elapsed or wall-clock, as
    /// the duration mode measures days), as a floating time.
    /// </summary>
    private DateTime CohortFinalAt(int week, double days)
    {
        var endOfWeek = WeekCalendar.Date(_calendar.WeekFirstDay(week) + 7).ToDateTime(TimeOnly.MinValue);
        return _columns.FromScale(_columns.OnScale(endOfWeek) + (long)Math.Round(days * TimeSpan.TicksPerDay));
    }

    /// <summary>The SLA limit of each group: the type's SLA days, or the longest of a pooled group's types; null without any.</summary>
    private double?[] GroupSlaLimits(MetricGrouping by, bool withAll)
    {
        var groups = GroupCount(by);
        var limits = new double?[groups + (withAll ? 1 : 0)];
        for (var row = 0; row < _types.Titles.Length; row++)
        {
            if (_types.EntryOfRow[row]?.SlaDays is not { } sla)
            {
                continue;
            }
            var g = by == MetricGrouping.RequestType ? row : _types.DepartmentOfRow[row];
            limits[g] = Math.Max(limits[g] ?? 0, sla);
            if (withAll)
            {
                limits[groups] = Math.Max(limits[groups] ?? 0, sla);
            }
        }
        return limits;
    }

    /// <summary>(issues, met) per week, group (then all, when asked) and measure of <see cref="CohortMeasures"/>.</summary>
    private (int Issues, int Met)[,,] CohortCounts(int firstWeek, int weeks, MetricGrouping by, bool withAll)
    {
        var groups = GroupCount(by);
        var counts = new (int Issues, int Met)[weeks, groups + (withAll ? 1 : 0), CohortMeasures.Length];
        for (var i = 0; i < _columns.Count; i++)
        {
            var k = _calendar.WeekIndex(_columns.Day[i]) - firstWeek;
            if (k < 0 || k >= weeks)
            {
                continue;
            }
            var g = GroupOf(i, by);
            var closed = (_columns.Flags[i] & IssueColumns.ClosedFlag) != 0;
            var days = _columns.Days[i];
            for (var m = 0; m < CohortMeasures.Length; m++)
            {
                var limit = CohortMeasures[m].Days ?? _types.SlaOfType[_columns.Type[i]];
                if (double.IsNaN(limit))
                {
                    continue;
                }
                var hit = closed && days > 0 && days < limit ? 1 : 0;
                counts[k, g, m] = (counts[k, g, m].Issues + 1, counts[k, g, m].Met + hit);
                if (withAll)
                {
                    counts[k, groups, m] = (counts[k, groups, m].Issues + 1, counts[k, groups, m].Met + hit);
                }
            }
        }
        return counts;
    }
}
