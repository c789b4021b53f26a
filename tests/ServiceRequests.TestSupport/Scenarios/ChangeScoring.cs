using Microsoft.Data.Analysis;
using ServiceRequests.Metrics;

namespace ServiceRequests.TestSupport.Scenarios;

/// <summary>How <see cref="IssueMetrics.Changes"/> did on one generated data set, with the oracle's power beside it.</summary>
/// <param name="Seed">The data set's seed.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="RowsTested">Rows of the report with a p-value.</param>
/// <param name="RowsFlagged">Rows of the report flagged.</param>
/// <param name="FoundWeek">Whether the changed type's row of the metric in the test "week" is flagged in the right direction; null without a change or without such a row.</param>
/// <param name="FoundWindow">Likewise in the test "window"; null without such a row (the method of today has none).</param>
/// <param name="Oracle">Power of the oracle test of the truly changed testable weeks; null without a change.</param>
/// <param name="OracleWeek">Power of the oracle test of the weeks the "week" row tests.</param>
/// <param name="OracleWindow">Power of the oracle test of the weeks the "window" row tests.</param>
/// <param name="StartWithinWeek">For a change found by the window row with a <c>change_start</c>: whether it is within 7 days of the true first changed week.</param>
internal sealed record ScenarioScore(
    int Seed, ChangeScenario Scenario, int RowsTested, int RowsFlagged, bool? FoundWeek, bool? FoundWindow,
    double? Oracle, double? OracleWeek, double? OracleWindow, bool? StartWithinWeek)
{
    /// <summary>Whether either test found the change; null without a change.</summary>
    public bool? FoundEither => FoundWeek is null && FoundWindow is null ? null : FoundWeek == true || FoundWindow == true;
}

/// <summary>Runs <see cref="IssueMetrics.Changes"/> on generated data sets and scores the report against the truth and the <see cref="Oracle"/>.</summary>
internal static class ChangeScoring
{
    /// <summary>The options of the runs: <see cref="MetricOptions.RollingWeeks"/> 4 and <see cref="MetricOptions.FalseDiscoveryRate"/> 0.25, at the data set's pull time.</summary>
    public static MetricOptions Options(ScenarioDataset data) =>
        new() { AsOf = data?.AsOf, RollingWeeks = 4, FalseDiscoveryRate = 0.25 };

    /// <summary>Generates the data set of <paramref name="scenario"/> and <paramref name="seed"/>, runs the method and scores it.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="scenario">The scenario.</param>
    /// <param name="draws">Simulated data sets per oracle power of an outcome metric.</param>
    /// <param name="settings">Generator settings; null for the defaults.</param>
    public static ScenarioScore Run(int seed, ChangeScenario scenario, int draws, ScenarioSettings? settings = null) =>
        Score(ScenarioGenerator.Generate(seed, scenario, settings), draws);

    /// <summary>Runs the method on <paramref name="data"/> and scores its report.</summary>
    public static ScenarioScore Score(ScenarioDataset data, int draws)
    {
        ArgumentNullException.ThrowIfNull(data);
        var options = Options(data);
        var report = new IssueMetrics(data.Frame, data.Sla, options).Changes(latestWeek: null);
        var rows = Rows(report);
        var tested = rows.Count(r => r.P is not null);
        var flagged = rows.Count(r => r.Flagged);
        if (data.Truth is not { } truth)
        {
            return new ScenarioScore(data.Seed, data.Scenario, tested, flagged, null, null, null, null, null, null);
        }
        var alpha = options.FalseDiscoveryRate / Math.Max(tested, 1);
        var expected = truth.Metric == IssueMetrics.PercWithinSla ? "lower" : "higher";
        var ofType = rows.Where(r => r.Type == truth.Type.Title && r.Metric == truth.Metric).ToList();
        var week = ofType.FirstOrDefault(r => r.Test == "week");
        var window = ofType.FirstOrDefault(r => r.Test == "window");
        // A stable seed per data set (string.GetHashCode differs between processes).
        var oracleSeed = data.Scenario.Key.Aggregate(data.Seed, (h, c) => unchecked(h * 31 + c));
        double? OracleOf(ReportRow? row) => row is { WeekStart: { } start } r
            ? Oracle.Power(data, DateOnly.FromDateTime(start), r.Weeks, alpha, draws, oracleSeed)
            : null;
        bool? start = window is { Flagged: true, ChangeStart: { } changeStart } && window.Result == expected
            ? Math.Abs(DateOnly.FromDateTime(changeStart).DayNumber - truth.FirstWeek.DayNumber) <= 7
            : null;
        return new ScenarioScore(data.Seed, data.Scenario, tested, flagged,
            week is null ? null : week.Flagged && week.Result == expected,
            window is null ? null : window.Flagged && window.Result == expected,
            Oracle.Power(data, truth.FirstWeek, truth.TestableWeeks, alpha, draws, oracleSeed),
            OracleOf(week), OracleOf(window), start);
    }

    /// <summary>One row of the report as the harness reads it.</summary>
    private sealed record ReportRow(string Type, string Metric, string Test, DateTime? WeekStart, int Weeks, bool Flagged, string Result, double? P, DateTime? ChangeStart);

    /// <summary>
    /// The rows of a <see cref="IssueMetrics.Changes"/> report. A report without a <c>test</c> column (the method before
    /// issue 21) has only "week" rows of 1 week; without <c>change_start</c>, no start is estimated.
    /// </summary>
    private static List<ReportRow> Rows(DataFrame report)
    {
        DataFrameColumn? Optional(string name) => report.Columns.IndexOf(name) >= 0 ? report[name] : null;
        var test = Optional("test");
        var weeks = Optional("weeks");
        var changeStart = Optional("change_start");
        var rows = new List<ReportRow>((int)report.Rows.Count);
        for (long i = 0; i < report.Rows.Count; i++)
        {
            rows.Add(new ReportRow(
                (string)report["request_type_title"][i],
                (string)report["metric"][i],
                test is null ? "week" : (string)test[i],
                (DateTime?)report["week_start"][i],
                weeks?[i] is int w ? w : 1,
                report["flagged"][i] is true,
                (string)report["result"][i],
                (double?)report["p_value"][i],
                (DateTime?)changeStart?[i]));
        }
        return rows;
    }
}
