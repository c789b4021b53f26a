using System.Globalization;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;
using ServiceRequests.Metrics;
using ServiceRequests.Portal;
using ServiceRequests.Sample;
using ServiceRequests.Socrata;
using Xunit.Abstractions;

namespace ServiceRequests.Tests.Metrics;

/// <summary>
/// The time-to-close dispersion of <see cref="IssueMetrics.Changes"/> on the project's own generated
/// data, whose close times do not change from week to week. How often the change flags flag noise and
/// find real changes is measured on the scenario suite (ChangeScenarioTests, bench <c>changes</c>).
/// </summary>
public class ChangeFlagRateTests(ITestOutputHelper output)
{
    private static readonly DateOnly[] TestWeeks =
        [new(2025, 3, 16), new(2025, 6, 15), new(2025, 9, 14), new(2025, 12, 14), new(2026, 4, 19), new(2026, 7, 19)];

    private static readonly SlaTable Sla = SlaTable.LoadBundled();

    [Fact]
    public void Time_to_close_dispersion_is_about_1_when_close_times_do_not_change_between_weeks()
    {
        // The generator draws every type's close times from one distribution all year, so the
        // between-week dispersion φ of the Peto–Peto statistic should be close to 1. The mean of the
        // per-cohort χ² values gave 1.05–1.38 on these seeds (mean 1.19): small cohorts pull it up.
        var phis = Enumerable.Range(1, TestWeeks.Length).Select(seed =>
        {
            var week = TestWeeks[seed % TestWeeks.Length];
            var options = new SampleOptions { Seed = seed, From = week.AddDays(-7 * 24), To = week.AddDays(7 * 6 - 1), Issues = 30 * 481 };
            var changes = new IssueMetrics(Frame(options, []), Sla).Changes(week);
            var row = Enumerable.Range(0, (int)changes.Rows.Count).Single(r =>
                (string)changes["request_type_title"][r] == IssueMetrics.AllTypes && (string)changes["metric"][r] == IssueMetrics.MedianDaysToClose
                && (string)changes["test"][r] == "window");
            var evidence = (string)changes["evidence"][row];
            var at = evidence.IndexOf("φ = ", StringComparison.Ordinal);
            Assert.True(at >= 0, evidence);
            var end = evidence.IndexOf(')', at);
            return double.Parse(evidence[(at + 4)..end], CultureInfo.InvariantCulture);
        }).ToList();
        output.WriteLine(string.Join(", ", phis));
        Assert.All(phis, phi => Assert.InRange(phi, 1, 1.1));
        Assert.True(phis.Average() <= 1.05, $"mean φ {phis.Average():0.###}");
    }

    /// <summary>Generated issues as the portal serves them, read back as <see cref="IssueData.Load"/> would.</summary>
    internal static DataFrame Frame(SampleOptions options, IReadOnlyList<InjectedChange> changes)
    {
        using var json = new MemoryStream();
        PortalJson.Write(SampleGenerator.Generate(options, changes).Select(i => i.ToPortalRow()), json);
        json.Position = 0;
        var builder = new FrameBuilder(PortalSchema.FrameColumns);
        new SodaJsonReader(builder, "generated").Read(json);
        return builder.ToDataFrame();
    }
}
