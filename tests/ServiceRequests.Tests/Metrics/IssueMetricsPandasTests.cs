using Microsoft.Data.Analysis;
using ServiceRequests.Metrics;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Metrics;

/// <summary>
/// Cross-check against the original's method: tests/reference/metrics_reference.py computes
/// every table on the bundled sample with pandas (groupby per type, week filter, the strict SLA
/// rule, wall-clock days) and each C# table must equal it: counts exactly, means, medians,
/// percentiles and percentages within 1e-9.
/// </summary>
public class IssueMetricsPandasTests
{
    private static readonly Lazy<DataFrame> Sample = new(() => IssueData.Load(RepoPaths.Of("data", "improve-detroit-sample.json.gz")));
    private static readonly SlaTable Sla = SlaTable.Load(RepoPaths.Of("data", "sla.csv"));

    [PandasFact]
    public void The_original_method_wall_clock_days_Sunday_weeks_whole_sample()
    {
        using var folder = new TempFolder();
        var expected = PandasReference.Tables(RepoPaths.Of("data", "improve-detroit-sample.json.gz"), folder.Path, "--duration", "wallclock");
        var metrics = new IssueMetrics(Sample.Value, Sla, new MetricOptions { Duration = DurationMode.WallClock });

        var week = metrics.LastCompleteWeek!.Value;
        Assert.Equal(new DateOnly(2026, 10, 25), week);
        AssertAll(expected, metrics, week, metrics.LastCreated!.Value, null, null, week);
    }

    [PandasFact]
    public void Elapsed_days_ISO_weeks_a_range_across_the_spring_DST_change_and_an_earlier_as_of()
    {
        using var folder = new TempFolder();
        var expected = PandasReference.Tables(RepoPaths.Of("data", "improve-detroit-sample.json.gz"), folder.Path,
            "--duration", "elapsed", "--week-start", "monday", "--from", "2025-02-20", "--to", "2025-04-13",
            "--as-of", "2026-06-30T12:00:00", "--week", "2025-03-09", "--latest-week", "2025-03-12",
            "--minimum-volume", "50", "--weeks-shown", "3", "--rolling-weeks", "5", "--threshold", "10");
        var metrics = new IssueMetrics(Sample.Value, Sla, new MetricOptions
        {
            Duration = DurationMode.Elapsed,
            WeekStart = DayOfWeek.Monday,
            AsOf = new DateTime(2026, 6, 30, 12, 0, 0),
            MinimumVolume = 50,
            WeeksShown = 3,
            RollingWeeks = 5,
            ChangeThresholdPercent = 10,
        });

        Assert.Equal(new DateOnly(2025, 3, 3), metrics.WeekOf(new DateOnly(2025, 3, 9)));
        AssertAll(expected, metrics, metrics.WeekOf(new DateOnly(2025, 3, 9)), null, new DateOnly(2025, 2, 20), new DateOnly(2025, 4, 13), new DateOnly(2025, 3, 12));
    }

    private static void AssertAll(Dictionary<string, System.Text.Json.JsonElement> expected, IssueMetrics metrics,
        DateOnly statsWeek, DateOnly? lastCreated, DateOnly? from, DateOnly? to, DateOnly latestWeek)
    {
        var tables = new Dictionary<string, DataFrame>
        {
            ["stats"] = metrics.Stats(statsWeek, statsWeek.AddDays(6)),
            ["opened_by_week"] = metrics.OpenedByWeek(from, to),
            ["opened_by_month"] = metrics.OpenedByMonth(from, to),
            ["time_to_close_by_type"] = metrics.TimeToClose(from, to),
            ["time_to_close_by_department"] = metrics.TimeToClose(from, to, MetricGrouping.Department),
            ["sla_by_type"] = metrics.SlaCompliance(from, to),
            ["sla_by_department"] = metrics.SlaCompliance(from, to, MetricGrouping.Department),
            ["reopened"] = metrics.Reopened(from, to),
            ["duplicates"] = metrics.Duplicates(from, to),
            ["last_weeks"] = metrics.LastWeeks(latestWeek),
            ["rolling_series"] = metrics.RollingSeries(),
        };
        Assert.Equal(tables.Keys.Order(), expected.Keys.Order());
        foreach (var (name, table) in tables)
        {
            PandasReference.AssertSame(name, expected[name], table);
        }
        if (lastCreated is { } last)
        {
            Assert.Equal(last, metrics.LastCreated);
        }
        // The tables are not trivially empty: the sample's figures are in them.
        Assert.True(tables["opened_by_week"].Columns["total"].Cast<int>().Last() > 1000);
        Assert.Contains(tables["stats"].Columns["perc_within_sla"].Cast<double?>(), p => p is > 0 and < 100);
    }
}
