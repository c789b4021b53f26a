using System.Text.Json;
using Microsoft.Data.Analysis;
using Plotly.NET;
using ServiceRequests.Metrics;
using ServiceRequests.Reports;
using ServiceRequests.Tests.Metrics;

namespace ServiceRequests.Tests.Reports;

/// <summary>The charts' JSON (traces, types, names, values), on small tables whose numbers are known.</summary>
public class IssueChartsTests
{
    private static readonly SlaTable Sla = SlaTable.Parse(
        "request_type_title,department,sla_days\nPotholes,Public Works,2\nIllegal Dump Sites,Public Works,10\nTree Issue,General Services,14\nTraffic Complaints,Police,\n");

    // Week of 1 June: Potholes closed in 1 and 3 days, a dump site in 9 days, a tree issue open.
    // Week of 8 June: Potholes closed in 1 day, re-opened; a duplicate tree issue closed in 20 days.
    private static readonly IssueMetrics Metrics = new(Issues.Frame(
            new Issue("Potholes", "2025-06-02 08:00", "2025-06-03 08:00"),
            new Issue("Potholes", "2025-06-02 08:00", "2025-06-05 08:00"),
            new Issue("Illegal Dump Sites", "2025-06-03 08:00", "2025-06-12 08:00"),
            new Issue("Tree Issue", "2025-06-04 08:00"),
            new Issue("Potholes", "2025-06-09 08:00", "2025-06-10 08:00") { Reopened = "2025-06-10 09:00" },
            new Issue("Tree Issue", "2025-06-10 08:00", "2025-06-30 08:00") { Canonical = 1 }),
        Sla, new MetricOptions { AsOf = Issues.At("2025-07-01 08:00"), RollingWeeks = 2, WeeksShown = 2 });

    private static (JsonElement[] Traces, JsonElement Layout) Parse(GenericChart chart)
    {
        using var json = JsonDocument.Parse(GenericChart.toJson(chart));
        return ([.. json.RootElement.GetProperty("data").EnumerateArray().Select(e => e.Clone())], json.RootElement.GetProperty("layout").Clone());
    }

    private static double?[] Numbers(JsonElement trace, string property) =>
        [.. trace.GetProperty(property).EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? (double?)null : v.GetDouble())];

    private static string[] Texts(JsonElement trace, string property) =>
        [.. trace.GetProperty(property).EnumerateArray().Select(v => v.GetString()!)];

    [Fact]
    public void Opened_by_type_is_one_stacked_bar_series_per_type_with_issues()
    {
        var (traces, layout) = Parse(IssueCharts.OpenedByType(Metrics.OpenedByWeek()));
        Assert.Equal("stack", layout.GetProperty("barmode").GetString());
        // Traffic Complaints has no issues and the totals row is not a series.
        Assert.Equal(["Illegal Dump Sites", "Potholes", "Tree Issue"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.All(traces, t => Assert.Equal("bar", t.GetProperty("type").GetString()));
        Assert.Equal(["2025-06-01", "2025-06-08"], Texts(traces[1], "x"));
        Assert.Equal([2.0, 1.0], Numbers(traces[1], "y"));
        Assert.Equal([1.0, 1.0], Numbers(traces[2], "y"));
        Assert.Equal("Issues opened per week by request type", layout.GetProperty("title").GetProperty("text").GetString());

        var (months, _) = Parse(IssueCharts.OpenedByType(Metrics.OpenedByMonth(), "per month"));
        Assert.Equal(["2025-06"], Texts(months[1], "x"));
        Assert.Equal([3.0], Numbers(months[1], "y"));
    }

    [Fact]
    public void Time_to_close_is_a_box_per_department_from_its_percentiles()
    {
        var (traces, _) = Parse(IssueCharts.TimeToCloseByDepartment(Metrics.TimeToClose(by: MetricGrouping.Department)));
        // Police has nothing closed: no box.
        Assert.Equal(["General Services", "Public Works"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.All(traces, t => Assert.Equal("box", t.GetProperty("type").GetString()!));
        // Public Works closed in 1, 1, 3, 9 days: p10 = 1, p25 = 1, median = 2, p75 = 3 + 0.25·6 = 4.5, p90 = 3 + 0.7·6 = 7.2, mean 3.5.
        var works = traces[1];
        Assert.Equal(["Public Works"], Texts(works, "x"));
        Assert.Equal(1.0, Numbers(works, "lowerfence")[0]);
        Assert.Equal(1.0, Numbers(works, "q1")[0]);
        Assert.Equal(2.0, Numbers(works, "median")[0]);
        Assert.Equal(4.5, Numbers(works, "q3")[0]!.Value, 12);
        Assert.Equal(7.2, Numbers(works, "upperfence")[0]!.Value, 12);
        Assert.Equal(3.5, Numbers(works, "mean")[0]);
        Assert.Equal(20.0, Numbers(traces[0], "median")[0]);
    }

    [Fact]
    public void SLA_compliance_is_bars_with_a_target_line()
    {
        var (traces, layout) = Parse(IssueCharts.SlaComplianceByDepartment(Metrics.SlaCompliance(by: MetricGrouping.Department), 80));
        Assert.Equal(["bar", "scatter"], traces.Select(t => t.GetProperty("type").GetString()));
        // General Services: 1 closed in 20 days, SLA 14: 0 %. Public Works: 1, 3, 9, 1 days: 1, 9 and 1 within (SLA 2, 10, 2): 75 %.
        // Police has no SLA figure: left out.
        Assert.Equal(["General Services", "Public Works"], Texts(traces[0], "x"));
        Assert.Equal([0.0, 75.0], Numbers(traces[0], "y"));
        Assert.Equal("target 80 %", traces[1].GetProperty("name").GetString());
        Assert.Equal("lines", traces[1].GetProperty("mode").GetString());
        Assert.Equal([80.0, 80.0], Numbers(traces[1], "y"));
        Assert.Equal([0.0, 100.0], layout.GetProperty("yaxis").GetProperty("range").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Throws<ArgumentException>(() => IssueCharts.SlaComplianceByDepartment(Metrics.SlaCompliance(by: MetricGrouping.Department), 120));
    }

    [Fact]
    public void Last_weeks_are_grouped_bars_one_series_per_week()
    {
        var table = Metrics.LastWeeks(new DateOnly(2025, 6, 8));
        var (traces, layout) = Parse(IssueCharts.LastWeeksComparison(table));
        Assert.Equal("group", layout.GetProperty("barmode").GetString());
        Assert.Equal(["week of 2025-06-01", "week of 2025-06-08"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(["Illegal Dump Sites", "Potholes", "Traffic Complaints", "Tree Issue"], Texts(traces[0], "x"));
        Assert.Equal([1.0, 2.0, 0.0, 1.0], Numbers(traces[0], "y"));
        Assert.Equal([0.0, 1.0, 0.0, 1.0], Numbers(traces[1], "y"));

        var (sla, _) = Parse(IssueCharts.LastWeeksComparison(table, "perc_within_sla"));
        Assert.Equal([100.0, 50.0, null, null], Numbers(sla[0], "y"));
        Assert.Throws<ArgumentException>(() => IssueCharts.LastWeeksComparison(table, "no_such_metric"));
    }

    [Fact]
    public void Reopen_and_duplicate_trends_are_two_lines_with_gaps_before_a_full_window()
    {
        var (traces, _) = Parse(IssueCharts.ReopenDuplicateTrends(Metrics.RollingSeries()));
        Assert.Equal(["re-opened (%)", "duplicates (%)"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.All(traces, t => Assert.Equal("lines", t.GetProperty("mode").GetString()));
        // Weeks of 1 June (window incomplete), 8, 15, 22 June (last complete week before 1 July).
        Assert.Equal(["2025-06-01", "2025-06-08", "2025-06-15", "2025-06-22"], Texts(traces[0], "x"));
        // 2-week windows: 8 June holds all 6 issues (1 re-opened, 1 duplicate); 15 June the 2 of 8 June; 22 June none.
        Assert.Equal([null, 100.0 / 6, 50.0, null], Numbers(traces[0], "y"));
        Assert.Equal([null, 100.0 / 6, 50.0, null], Numbers(traces[1], "y"));

        var (potholes, _) = Parse(IssueCharts.ReopenDuplicateTrends(Metrics.RollingSeries(), "Potholes"));
        Assert.Equal([null, 100.0 / 3, 100.0, null], Numbers(potholes[0], "y"));
        Assert.Throws<ArgumentException>(() => IssueCharts.ReopenDuplicateTrends(Metrics.RollingSeries(), "Graffiti"));
    }

    [Fact]
    public void A_table_of_the_wrong_kind_is_refused_with_the_missing_column()
    {
        // Per-type tables carry a department column too, but are not per department.
        var error = Assert.Throws<ArgumentException>(() => IssueCharts.TimeToCloseByDepartment(Metrics.TimeToClose()));
        Assert.Contains("MetricGrouping.Department", error.Message);
        Assert.Throws<ArgumentException>(() => IssueCharts.SlaComplianceByDepartment(Metrics.SlaCompliance()));
        var wrong = Assert.Throws<ArgumentException>(() => IssueCharts.OpenedByType(Metrics.Stats()));
        Assert.Contains("'total'", wrong.Message);
    }

    [Fact]
    public void Charts_render_to_HTML()
    {
        var html = GenericChart.toChartHTML(IssueCharts.OpenedByType(Metrics.OpenedByWeek()));
        Assert.Contains("Potholes", html);
        Assert.Contains("\"barmode\":\"stack\"", html);
    }

    [Fact]
    public void Rates_by_group_are_grouped_bars_of_both_rates()
    {
        var rates = ReopenDuplicateRates.By(Issues.Frame(
            new Issue("Potholes", "2025-06-02 08:00") { Reopened = "2025-06-03 08:00" },
            new Issue("Potholes", "2025-06-02 08:00") { Canonical = 1 },
            new Issue("Tree Issue", "2025-06-02 08:00")), "request_type_title");
        var (traces, layout) = Parse(IssueCharts.ReopenDuplicateRatesBy(rates));
        Assert.Equal(["re-opened (%)", "duplicates (%)"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.All(traces, t => Assert.Equal(["Potholes", "Tree Issue"], Texts(t, "x")));
        Assert.Equal([50.0, 0.0], Numbers(traces[0], "y"));
        Assert.Equal([50.0, 0.0], Numbers(traces[1], "y"));
        Assert.Equal("group", layout.GetProperty("barmode").GetString());
        Assert.Throws<ArgumentException>(() => IssueCharts.ReopenDuplicateRatesBy(Metrics.Stats()));
    }
}
