using System.Globalization;
using System.Text;

namespace ServiceRequests.TestSupport.Scenarios;

/// <summary>
/// The figures of one scenario over its data sets: detection by the "week" and "window" tests and by either, the mean
/// oracle powers and the efficiencies (detection ÷ oracle power), and the share of found changes whose estimated
/// start is within a week of the truth.
/// </summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Scores">Its data sets' scores.</param>
internal sealed record ScenarioSummary(ChangeScenario Scenario, IReadOnlyList<ScenarioScore> Scores)
{
    /// <summary>Data sets.</summary>
    public int Datasets => Scores.Count;

    /// <summary>Share of the tested rows flagged.</summary>
    public double RowsFlagged => (double)Scores.Sum(s => s.RowsFlagged) / Math.Max(1, Scores.Sum(s => s.RowsTested));

    /// <summary>Share of the reports with at least one flag.</summary>
    public double ReportsFlagged => (double)Scores.Count(s => s.RowsFlagged > 0) / Math.Max(1, Datasets);

    /// <summary>Share of the data sets whose "week" row found the change; null without such rows.</summary>
    public double? FoundWeek => Rate(s => s.FoundWeek);

    /// <summary>Share of the data sets whose "window" row found the change; null without such rows.</summary>
    public double? FoundWindow => Rate(s => s.FoundWindow);

    /// <summary>Share of the data sets where either test found the change.</summary>
    public double? FoundEither => Rate(s => s.FoundEither);

    /// <summary>Mean power of the oracle that tests the truly changed testable weeks.</summary>
    public double? Oracle => Mean(s => s.Oracle);

    /// <summary>Detection by either test ÷ <see cref="Oracle"/>.</summary>
    public double? Efficiency => Ratio(FoundEither, Oracle);

    /// <summary>Mean power of the oracle that tests the same weeks as the method's row (the window row if there is one, else the week row).</summary>
    public double? OracleSame => Scores.Any(s => s.OracleWindow is not null) ? Mean(s => s.OracleWindow) : Mean(s => s.OracleWeek);

    /// <summary>Detection by that row ÷ <see cref="OracleSame"/>.</summary>
    public double? EfficiencySame => Ratio(Scores.Any(s => s.OracleWindow is not null) ? FoundWindow : FoundWeek, OracleSame);

    /// <summary>Share of the changes found by the window row whose estimated start is within 7 days of the truth; null without estimates.</summary>
    public double? StartWithinWeek => Rate(s => s.StartWithinWeek);

    private double? Rate(Func<ScenarioScore, bool?> of)
    {
        var values = Scores.Select(of).Where(v => v is not null).ToList();
        return values.Count == 0 ? null : (double)values.Count(v => v == true) / values.Count;
    }

    private double? Mean(Func<ScenarioScore, double?> of)
    {
        var values = Scores.Select(of).Where(v => v is not null).ToList();
        return values.Count == 0 ? null : values.Average();
    }

    /// <summary>Detection ÷ oracle power; null when the oracle finds nothing to speak of (below 2 %).</summary>
    private static double? Ratio(double? found, double? oracle) => found is { } f && oracle is > 0.02 ? f / oracle : null;

    /// <summary>Groups scores by scenario, in the order of <see cref="ChangeScenario.All"/>.</summary>
    public static List<ScenarioSummary> Of(IEnumerable<ScenarioScore> scores)
    {
        var order = ChangeScenario.All.Select((s, k) => (s, k)).ToDictionary(p => p.s, p => p.k);
        return [.. scores.GroupBy(s => s.Scenario).OrderBy(g => order.GetValueOrDefault(g.Key, int.MaxValue))
            .Select(g => new ScenarioSummary(g.Key, [.. g.OrderBy(s => s.Seed)]))];
    }

    /// <summary>
    /// The Markdown table of the summaries: for no change, the rows and reports flagged; for each change, detection,
    /// oracle power and efficiency.
    /// </summary>
    public static string Table(IReadOnlyList<ScenarioSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var text = new StringBuilder();
        foreach (var none in summaries.Where(s => s.Scenario.Effect == ChangeEffect.None))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"No change ({none.Datasets} data sets): {none.Scores.Sum(s => s.RowsFlagged)} of {none.Scores.Sum(s => s.RowsTested)} tested rows flagged ({Percent(none.RowsFlagged, "0.00")}); ")
                .Append(CultureInfo.InvariantCulture, $"{none.Scores.Count(s => s.RowsFlagged > 0)} reports with a flag ({Percent(none.ReportsFlagged)}).\n\n");
        }
        text.Append("| change | type | lasts | data sets | found: week | found: window | found: either | oracle | efficiency | oracle, same weeks | efficiency, same weeks | start ±1 wk |\n");
        text.Append("|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        foreach (var s in summaries.Where(s => s.Scenario.Effect != ChangeEffect.None))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"| {s.Scenario.EffectName} | {s.Scenario.BandName} | {s.Scenario.DurationName} | {s.Datasets} | {Percent(s.FoundWeek)} | {Percent(s.FoundWindow)} | {Percent(s.FoundEither)} | {Percent(s.Oracle)} | {Number(s.Efficiency)} | {Percent(s.OracleSame)} | {Number(s.EfficiencySame)} | {Percent(s.StartWithinWeek)} |\n");
        }
        return text.ToString();
    }

    private static string Percent(double? value, string format = "0") =>
        value is { } v ? (100 * v).ToString(format, CultureInfo.InvariantCulture) + " %" : "–";

    private static string Number(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "–";
}
