using System.Globalization;
using Microsoft.Data.Analysis;

namespace ServiceRequests.Metrics;

/// <summary>Change flags that mean change: tests of the latest weeks against a baseline before them that allow for overdispersion and many comparisons.</summary>
public sealed partial class IssueMetrics
{
    /// <summary>The <c>metric</c> of <see cref="Changes"/> rows about issues opened in a week.</summary>
    public const string IssuesOpened = "num_issues";

    /// <summary>The <c>metric</c> of <see cref="Changes"/> rows about the share of a cohort closed within SLA.</summary>
    public const string PercWithinSla = "perc_within_sla";

    /// <summary>The <c>metric</c> of <see cref="Changes"/> rows about the Kaplan–Meier time to close of a cohort.</summary>
    public const string MedianDaysToClose = "median_days_to_close";

    /// <summary>
    /// What changed, with tests that allow for the week-to-week noise of 311 data, controlled for
    /// the many comparisons of one report. The latest W complete weeks (the window,
    /// <see cref="MetricOptions.RollingWeeks"/>, up to <paramref name="latestWeek"/>, default
    /// <see cref="LastCompleteWeek"/>) are tested as one unit, and the latest week alone beside them,
    /// each against a baseline of the 3W weeks before the window, which never overlaps them; whether a
    /// row is tested is decided from the baseline alone. One row per request type (<see cref="AllTypes"/>
    /// first), metric and test (<c>window</c> first, then <c>week</c>; a window of one week has only
    /// <c>week</c> rows):
    /// <list type="bullet">
    /// <item><see cref="IssuesOpened"/>: issues opened in the tested weeks against the baseline's weekly
    /// mean, as a negative-binomial prediction whose variance is calibrated on the errors of the same
    /// prediction at up to 26 earlier positions before the window (α over every tested type, each type's
    /// own ratio moderated toward every type's, empirical Bayes).</item>
    /// <item><see cref="PercWithinSla"/>: the share closed within SLA of the latest creation-week cohorts
    /// that are final for the type's SLA (<see cref="CohortCompliance"/>), against the baseline cohorts
    /// before them: a two-proportion test (All types: stratified by type, Cochran–Mantel–Haenszel),
    /// variance inflated by the between-week dispersion of the baseline cohorts.</item>
    /// <item><see cref="MedianDaysToClose"/>: the Kaplan–Meier time to close of the same cohorts (types
    /// without an SLA: cohorts at least 7 days old) against the baseline cohorts: a Peto–Peto rank test
    /// for censored times (All types: stratified by type), variance inflated the same way.</item>
    /// </list>
    /// Columns: <c>request_type_title, metric, test</c>, <c>week_start</c> (the first week or cohort
    /// tested), <c>weeks</c> (how many), <c>num_issues</c> (their issues), <c>value, value_low,
    /// value_high</c> (issues a week; % with a 95 % Wilson interval; Kaplan–Meier median days with a
    /// 95 % interval), <c>baseline, baseline_low, baseline_high</c> (issues: the baseline's weekly mean
    /// with the 95 % range expected for the tested weeks' mean; outcomes: the baseline cohorts' pooled
    /// % with its Wilson interval, pooled median with its interval), <c>change</c> (value − baseline)
    /// with its 95 % interval <c>change_low, change_high</c>, <c>change_start</c> (window rows: the
    /// estimated first changed week, a change-point estimate), <c>p_value</c>, <c>q_value</c>
    /// (Benjamini–Hochberg over every tested row), <c>result</c> (<c>higher</c>, <c>lower</c>, <c>no
    /// change</c>, or why the row is not tested: <c>too few</c> when the baseline makes fewer than
    /// <see cref="MetricOptions.MinimumVolume"/> issues expected, <c>no SLA</c>, <c>no baseline</c>,
    /// <c>pending</c> when no cohort is final yet), <c>flagged</c> (q ≤ <see cref="MetricOptions.FalseDiscoveryRate"/>)
    /// and <c>evidence</c> (the figures behind it in words).
    /// </summary>
    /// <exception cref="InvalidOperationException">The data has no issues and no week was given.</exception>
    /// <exception cref="ServiceRequestsException">The data holds fewer weeks up to the latest week than the
    /// window and its baseline need (<see cref="ChangeWeeksNeeded"/>); the message says how many are there.</exception>
    public DataFrame Changes(DateOnly? latestWeek = null)
    {
        var latest = TestedWeek(latestWeek);
        var test = new ChangeTest(_columns, _types, _calendar, Options, latest, CohortFinalAt);
        var rows = new List<ChangeRow>();
        rows.AddRange(test.Volume());
        rows.AddRange(test.Outcomes(GroupSlaLimits(MetricGrouping.RequestType, withAll: true)));
        var ordered = rows.OrderBy(r => r.Row < 0 ? -1 : r.Row).ThenBy(r => Array.IndexOf(ChangeMetrics, r.Metric))
            .ThenBy(r => r.Test == ChangeTest.Window ? 0 : 1).ToList();
        var q = Inference.BenjaminiHochberg([.. ordered.Select(r => r.P)]);
        var flagged = q.Select(v => v is { } x && x <= Options.FalseDiscoveryRate).ToArray();
        DateTime? Start(int? week) => week is { } w ? WeekCalendar.Date(_calendar.WeekFirstDay(w)).ToDateTime(TimeOnly.MinValue) : null;
        return new DataFrame(
            new StringDataFrameColumn("request_type_title", ordered.Select(r => r.Row < 0 ? AllTypes : _types.Titles[r.Row])),
            new StringDataFrameColumn("metric", ordered.Select(r => r.Metric)),
            new StringDataFrameColumn("test", ordered.Select(r => r.Test)),
            new DateTimeDataFrameColumn("week_start", ordered.Select(r => Start(r.FirstWeek))),
            new Int32DataFrameColumn("weeks", ordered.Select(r => r.LastWeek - r.FirstWeek + 1)),
            new Int32DataFrameColumn("num_issues", ordered.Select(r => r.Issues)),
            new DoubleDataFrameColumn("value", ordered.Select(r => r.Value)),
            new DoubleDataFrameColumn("value_low", ordered.Select(r => r.ValueLow)),
            new DoubleDataFrameColumn("value_high", ordered.Select(r => r.ValueHigh)),
            new DoubleDataFrameColumn("baseline", ordered.Select(r => r.Baseline)),
            new DoubleDataFrameColumn("baseline_low", ordered.Select(r => r.BaselineLow)),
            new DoubleDataFrameColumn("baseline_high", ordered.Select(r => r.BaselineHigh)),
            new DoubleDataFrameColumn("change", ordered.Select(r => r.NotTested is null ? r.Value - r.Baseline : null)),
            new DoubleDataFrameColumn("change_low", ordered.Select(r => r.ChangeLow)),
            new DoubleDataFrameColumn("change_high", ordered.Select(r => r.ChangeHigh)),
            new DateTimeDataFrameColumn("change_start", ordered.Select(r => Start(r.ChangeStart))),
            new DoubleDataFrameColumn("p_value", ordered.Select(r => r.P)),
            new DoubleDataFrameColumn("q_value", q),
            new StringDataFrameColumn("result", ordered.Select((r, k) => r.NotTested ?? (flagged[k] ? (r.Statistic > 0 ? "higher" : "lower") : "no change"))),
            new BooleanDataFrameColumn("flagged", flagged),
            new StringDataFrameColumn("evidence", ordered.Select((r, k) => q[k] is { } v
                ? $"{r.Evidence}; p {Probability(r.P!.Value)}, q {Probability(v)}"
                : r.Evidence)));
    }

    /// <summary>
    /// The weekly values behind <see cref="Changes"/> up to <paramref name="latestWeek"/> (default
    /// <see cref="LastCompleteWeek"/>), for charts of what changed: per request type (<see cref="AllTypes"/>
    /// first) and metric, every week of the baseline and of the window. Columns: <c>request_type_title,
    /// metric, week_start</c>, <c>part</c> (<c>baseline</c> or <c>window</c>), <c>value</c> (issues opened
    /// that week; % of the cohort closed within SLA; the cohort's Kaplan–Meier median days to close, empty
    /// while not reached) and <c>num_issues</c>. Outcome rows end with the row's latest final cohort, as
    /// the tests do.
    /// </summary>
    /// <exception cref="InvalidOperationException">The data has no issues and no week was given.</exception>
    /// <exception cref="ServiceRequestsException">The data is shorter than the window and its baseline (<see cref="ChangeProblem"/>).</exception>
    public DataFrame ChangeSeries(DateOnly? latestWeek = null)
    {
        var latest = TestedWeek(latestWeek);
        var series = new ChangeTest(_columns, _types, _calendar, Options, latest, CohortFinalAt)
            .Series(GroupSlaLimits(MetricGrouping.RequestType, withAll: true))
            .OrderBy(s => s.Row).ThenBy(s => Array.IndexOf(ChangeMetrics, s.Metric)).ThenBy(s => s.Week).ToList();
        return new DataFrame(
            new StringDataFrameColumn("request_type_title", series.Select(s => s.Row < 0 ? AllTypes : _types.Titles[s.Row])),
            new StringDataFrameColumn("metric", series.Select(s => s.Metric)),
            new DateTimeDataFrameColumn("week_start", series.Select(s => (DateTime?)WeekCalendar.Date(_calendar.WeekFirstDay(s.Week)).ToDateTime(TimeOnly.MinValue))),
            new StringDataFrameColumn("part", series.Select(s => s.Part)),
            new DoubleDataFrameColumn("value", series.Select(s => s.Value)),
            new Int32DataFrameColumn("num_issues", series.Select(s => s.Issues)));
    }

    /// <summary>The index of the latest week tested: <paramref name="latestWeek"/>, or <see cref="LastCompleteWeek"/>; checked against the data's length.</summary>
    private int TestedWeek(DateOnly? latestWeek)
    {
        var latest = _calendar.WeekIndex((latestWeek ?? LastCompleteWeek ?? throw new InvalidOperationException(
            "The data has no issues, so there is no last complete week: pass the week to test.")).DayNumber);
        return ChangeDataProblem(latest) is { } problem ? throw new ServiceRequestsException(problem) : latest;
    }

    /// <summary>Weeks of data <see cref="Changes"/> needs up to the latest week tested: the window (<see cref="MetricOptions.RollingWeeks"/>) and the 3 × as many weeks of its baseline.</summary>
    public int ChangeWeeksNeeded => ChangeTest.WeeksNeeded(Options.RollingWeeks);

    /// <summary>
    /// Why <see cref="Changes"/> cannot test up to <paramref name="latestWeek"/> (default
    /// <see cref="LastCompleteWeek"/>): one line saying how many weeks the data holds up to that week and
    /// how many the window and its baseline need; null when it can. A notebook shows this line instead of
    /// the tests; <see cref="Changes"/> throws it.
    /// </summary>
    public string? ChangeProblem(DateOnly? latestWeek = null) =>
        (latestWeek ?? LastCompleteWeek) is { } week ? ChangeDataProblem(_calendar.WeekIndex(week.DayNumber)) : null;

    private string? ChangeDataProblem(int latest)
    {
        if (_columns.Count == 0)
        {
            return null;
        }
        var first = _calendar.WeekIndex(_columns.FirstDay);
        var have = Math.Max(0, latest - first + 1);
        var need = ChangeWeeksNeeded;
        var weeks = Options.RollingWeeks == 1 ? "week" : $"{Options.RollingWeeks} weeks";
        return have >= need ? null : string.Create(CultureInfo.InvariantCulture,
            $"Testing the {weeks} up to the week of {WeekCalendar.Date(_calendar.WeekFirstDay(latest)):yyyy-MM-dd} needs {need} weeks of data (those and the {need - Options.RollingWeeks} before them as the baseline); the data has {have} up to then (from the week of {WeekCalendar.Date(_calendar.WeekFirstDay(first)):yyyy-MM-dd}): give fewer weeks or more data.");
    }

    private static readonly string[] ChangeMetrics = [IssuesOpened, PercWithinSla, MedianDaysToClose];

    /// <summary>"= 0.0123", or "&lt; 0.0001" for smaller values.</summary>
    private static string Probability(double p) =>
        p < 0.0001 ? "< 0.0001" : string.Create(CultureInfo.InvariantCulture, $"= {p:0.####}");
}
