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
        Assert.Equal("category", layout.GetProperty("xaxis").GetProperty("type").GetString());
        // Most issues first; Traffic Complaints has no issues and the totals row is not a series.
        Assert.Equal(["Potholes", "Tree Issue", "Illegal Dump Sites"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.All(traces, t => Assert.Equal("bar", t.GetProperty("type").GetString()));
        Assert.Equal(["2025-06-01", "2025-06-08"], Texts(traces[0], "x"));
        Assert.Equal([2.0, 1.0], Numbers(traces[0], "y"));
        Assert.Equal([1.0, 1.0], Numbers(traces[1], "y"));
        Assert.Equal("Issues opened per week by request type", layout.GetProperty("title").GetProperty("text").GetString());

        var (months, _) = Parse(IssueCharts.OpenedByType(Metrics.OpenedByMonth(), "per month"));
        Assert.Equal(["2025-06"], Texts(months[0], "x"));
        Assert.Equal([3.0], Numbers(months[0], "y"));
    }

    /// <summary>Thirty request types, type k with k + 1 issues in the week of 1 June 2025.</summary>
    private static IssueMetrics ThirtyTypes() => new(Issues.Frame([.. Enumerable.Range(0, 30).SelectMany(k =>
            Enumerable.Range(0, k + 1).Select(i => new Issue($"Type {k:D2}", $"2025-06-0{2 + i % 5} 08:{i:D2}", $"2025-06-1{i % 9} 08:00")))]),
        SlaTable.Parse("request_type_title,department,sla_days\nType 29,Works,5\nType 28,Works,3\n"), new MetricOptions { AsOf = Issues.At("2025-07-01 08:00") });

    [Fact]
    public void With_thirty_types_the_top_ones_have_their_own_colour_and_the_rest_is_one_grey_series()
    {
        ReportFormatters.Register();
        var metrics = ThirtyTypes();
        var (week, _) = Parse(IssueCharts.OpenedByType(metrics.OpenedByWeek()));
        // Types 29 down to 22 (the eight with the most issues), then the other 22 pooled: 1 + 2 + ... + 22 = 253.
        Assert.Equal([.. Enumerable.Range(22, 8).Reverse().Select(k => $"Type {k:D2}"), "other types (22)"], week.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([253.0], Numbers(week[^1], "y"));
        var colours = week.Select(t => t.GetProperty("marker").GetProperty("color").GetString()).ToList();
        Assert.Equal(colours.Count, colours.Distinct().Count());
        Assert.Equal("#b8b8b8", colours[^1]);
        // The same type keeps its colour in the next chart of the report, whatever its place there.
        var (three, _) = Parse(IssueCharts.OpenedByType(metrics.OpenedByMonth(), top: 3));
        Assert.Equal(colours[0], three[0].GetProperty("marker").GetProperty("color").GetString());
        Assert.Equal(colours[2], three[2].GetProperty("marker").GetProperty("color").GetString());
        // Another notebook of the same report registers and draws its own types (the notebooks run side
        // by side, or in the real kernel one at a time): this notebook's next chart keeps every type's
        // colour. Failed before twice: Register reset the colours; then colours were given in the order
        // charts first drew types, so a report and the real kernel coloured the same chart differently.
        ReportFormatters.Register();
        _ = IssueCharts.OpenedByType(Metrics.OpenedByWeek());
        var (again, _) = Parse(IssueCharts.OpenedByType(metrics.OpenedByWeek()));
        Assert.Equal(colours, again.Select(t => t.GetProperty("marker").GetProperty("color").GetString()));

        // The heatmap keeps every type: 30 rows, fewest issues at the bottom.
        var (heat, heatLayout) = Parse(IssueCharts.OpenedHeatmap(metrics.OpenedByWeek()));
        Assert.Equal("heatmap", heat[0].GetProperty("type").GetString());
        Assert.Equal(30, heat[0].GetProperty("y").GetArrayLength());
        Assert.Equal("Type 00", heat[0].GetProperty("y")[0].GetString());
        Assert.True(heatLayout.GetProperty("height").GetDouble() >= 30 * 20);
    }

    [Fact]
    public void Charts_take_the_width_of_the_page()
    {
        using var json = JsonDocument.Parse(GenericChart.toJson(IssueCharts.OpenedByType(Metrics.OpenedByWeek())));
        Assert.False(json.RootElement.GetProperty("layout").TryGetProperty("width", out _));
        Assert.True(json.RootElement.GetProperty("layout").GetProperty("autosize").GetBoolean());
        Assert.True(json.RootElement.GetProperty("config").GetProperty("responsive").GetBoolean());
    }

    [Fact]
    public void The_censoring_aware_tables_have_their_charts()
    {
        var metrics = ThirtyTypes();
        var (medians, layout) = Parse(IssueCharts.SurvivalMedians(metrics.TimeToCloseSurvival()));
        Assert.Equal(31, medians[0].GetProperty("y").GetArrayLength()); // 30 types and All types
        Assert.Equal("log", layout.GetProperty("xaxis").GetProperty("type").GetString());
        var (byWeek, _) = Parse(IssueCharts.SurvivalByWeek(metrics.TimeToCloseSurvivalByWeek()));
        Assert.Equal(["upper end", "95 % interval", "median"], byWeek.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(["2025-06-01"], Texts(byWeek[2], "x"));

        var cohorts = metrics.CohortCompliance();
        var (heat, _) = Parse(IssueCharts.CohortHeatmap(cohorts));
        // Only the two types with an SLA, and All types (pooled, at the top).
        Assert.Equal(["Type 29", "Type 28", IssueMetrics.AllTypes], Texts(heat[0], "y"));
        var (within30, _) = Parse(IssueCharts.CohortHeatmap(cohorts, IssueMetrics.ClosedWithin30Days));
        Assert.Equal(31, within30[0].GetProperty("y").GetArrayLength());
        Assert.Throws<ArgumentException>(() => IssueCharts.CohortHeatmap(cohorts, "no_such_measure"));

        var backlog = metrics.BacklogByWeek(new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 14));
        var (ages, _) = Parse(IssueCharts.BacklogByAge(backlog));
        Assert.Equal(["0–7 days", "8–30 days", "31–90 days", "over 90 days"], ages.Select(t => t.GetProperty("name").GetString()));
        // At the end of the week of 1 June (Sunday 8 June 00:00) every issue is open, all 1–6 days old: 465.
        Assert.Equal(465.0, Numbers(ages[0], "y")[0]);
        var (backlogHeat, _) = Parse(IssueCharts.BacklogHeatmap(backlog));
        Assert.Equal(30, backlogHeat[0].GetProperty("y").GetArrayLength());
    }

    [Fact]
    public void Change_ranges_show_each_tested_row_against_what_was_expected()
    {
        // Ten potholes a week for eight weeks, each closed the next day: a window of two weeks and its baseline of six.
        var small = new IssueMetrics(Issues.Frame([.. Enumerable.Range(0, 80).Select(i =>
            {
                var created = new DateTime(2025, 5, 5, 8, 0, 0).AddDays(7 * (i / 10) + i % 5).AddMinutes(i);
                return new Issue("Potholes", $"{created:yyyy-MM-dd HH:mm}", $"{created.AddDays(1):yyyy-MM-dd HH:mm}");
            })]),
            Sla, new MetricOptions { AsOf = Issues.At("2025-07-08 08:00"), MinimumVolume = 5, RollingWeeks = 2 });
        var tested = small.Changes(new DateOnly(2025, 6, 22));
        var (traces, layout) = Parse(IssueCharts.ChangeRanges(tested));
        Assert.Equal(["expected from the baseline (95 %)", "baseline (the weeks before the window)", "tested, no change", "changed (flagged)"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(["Potholes (Jun 15–Jun 28)", "All types (Jun 15–Jun 28)"], Texts(traces[0], "y"));
        Assert.Equal("log", layout.GetProperty("xaxis").GetProperty("type").GetString());
        Assert.Equal("Issues opened in the latest 2 weeks, relative to the weeks before the window", layout.GetProperty("title").GetProperty("text").GetString());
        var (week, weekLayout) = Parse(IssueCharts.ChangeRanges(tested, IssueMetrics.IssuesOpened, "week"));
        Assert.Equal(["Potholes (Jun 22)", "All types (Jun 22)"], Texts(week[0], "y"));
        Assert.StartsWith("Issues opened in the latest week", weekLayout.GetProperty("title").GetProperty("text").GetString());
        // A window of one week has only week rows: the default chart draws them.
        var oneWeek = new IssueMetrics(Issues.Frame([.. Enumerable.Range(0, 80).Select(i =>
            {
                var created = new DateTime(2025, 5, 5, 8, 0, 0).AddDays(7 * (i / 10) + i % 5).AddMinutes(i);
                return new Issue("Potholes", $"{created:yyyy-MM-dd HH:mm}", $"{created.AddDays(1):yyyy-MM-dd HH:mm}");
            })]),
            Sla, new MetricOptions { AsOf = Issues.At("2025-07-08 08:00"), MinimumVolume = 5, RollingWeeks = 1 }).Changes(new DateOnly(2025, 6, 22));
        var (single, singleLayout) = Parse(IssueCharts.ChangeRanges(oneWeek));
        Assert.Equal(["Potholes (Jun 22)", "All types (Jun 22)"], Texts(single[0], "y"));
        Assert.StartsWith("Issues opened in the latest week", singleLayout.GetProperty("title").GetProperty("text").GetString());
        Assert.Throws<ArgumentException>(() => IssueCharts.ChangeRanges(tested, "num_open"));
        Assert.Throws<ArgumentException>(() => IssueCharts.ChangeRanges(tested, IssueMetrics.IssuesOpened, "month"));
        Assert.Throws<ArgumentException>(() => IssueCharts.ChangeRanges(Metrics.Stats()));

        // With a minimum volume no baseline reaches, nothing is tested: nothing to draw, and the chart says so.
        var quiet = new IssueMetrics(Issues.Frame([.. Enumerable.Range(0, 80).Select(i =>
            new Issue("Potholes", $"{new DateTime(2025, 5, 5, 8, 0, 0).AddDays(7 * (i / 10) + i % 5).AddMinutes(i):yyyy-MM-dd HH:mm}"))]),
            Sla, new MetricOptions { AsOf = Issues.At("2025-07-08 08:00"), MinimumVolume = 100, RollingWeeks = 2 });
        var (none, noneLayout) = Parse(IssueCharts.ChangeRanges(quiet.Changes(new DateOnly(2025, 6, 22))));
        Assert.Equal(0, none[1].GetProperty("y").GetArrayLength());
        Assert.EndsWith("(no row had enough issues to test)", noneLayout.GetProperty("title").GetProperty("text").GetString());
    }

    [Fact]
    public void Change_timeline_draws_each_flagged_row_over_its_baseline_and_window_with_the_start()
    {
        // Potholes: 10 a week for six weeks, then 40 a week for the two weeks of the window.
        var issues = Enumerable.Range(0, 8).SelectMany(w => Enumerable.Range(0, w >= 6 ? 40 : 10).Select(k =>
        {
            var created = new DateTime(2025, 5, 5, 8, 0, 0).AddDays(7 * w + k % 5).AddMinutes(k);
            return new Issue("Potholes", $"{created:yyyy-MM-dd HH:mm}", $"{created.AddDays(1):yyyy-MM-dd HH:mm}");
        }));
        var metrics = new IssueMetrics(Issues.Frame([.. issues]), Sla, new MetricOptions { AsOf = Issues.At("2025-07-08 08:00"), MinimumVolume = 5, RollingWeeks = 2 });
        var changes = metrics.Changes(new DateOnly(2025, 6, 22));
        var series = metrics.ChangeSeries(new DateOnly(2025, 6, 22));
        var potholes = Enumerable.Range(0, (int)series.Rows.Count)
            .Where(r => (string)series["request_type_title"][r] == "Potholes" && (string)series["metric"][r] == IssueMetrics.IssuesOpened).ToList();
        Assert.Equal([10.0, 10, 10, 10, 10, 10, 40, 40], potholes.Select(r => (double)series["value"][r]));
        Assert.Equal(["baseline", "baseline", "baseline", "baseline", "baseline", "baseline", "window", "window"], potholes.Select(r => (string)series["part"][r]));
        var (traces, layout) = Parse(IssueCharts.ChangeTimeline(series, changes));
        // Potholes and All types are flagged for issues opened (window and week: one panel each).
        var annotations = layout.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()).ToList();
        Assert.Contains("<b>Potholes</b>: issues opened a week, began about Jun 15", annotations);
        var shapes = layout.GetProperty("shapes").EnumerateArray().ToList();
        Assert.Contains(shapes, s => s.GetProperty("type").GetString() == "line" && s.GetProperty("x0").GetString()!.StartsWith("2025-06-15", StringComparison.Ordinal));
        Assert.Contains(shapes, s => s.GetProperty("type").GetString() == "rect" && s.GetProperty("x0").GetString()!.StartsWith("2025-06-15", StringComparison.Ordinal));
        Assert.All(traces, t => Assert.False(string.IsNullOrEmpty(t.GetProperty("name").GetString())));
        var (_, emptyLayout) = Parse(IssueCharts.ChangeTimeline(series, changes.Filter(changes["flagged"].ElementwiseEquals(false))));
        Assert.Equal("What changed, week by week (no change flagged)", emptyLayout.GetProperty("title").GetProperty("text").GetString());
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
        Assert.All(traces, t => Assert.Equal("h", t.GetProperty("orientation").GetString()));
        // Most issues in the latest week at the top (Plotly draws the first category at the bottom).
        Assert.Equal(["Traffic Complaints", "Illegal Dump Sites", "Tree Issue", "Potholes"], Texts(traces[0], "y"));
        Assert.Equal([0.0, 1.0, 1.0, 2.0], Numbers(traces[0], "x"));
        Assert.Equal([0.0, 0.0, 1.0, 1.0], Numbers(traces[1], "x"));

        var (sla, _) = Parse(IssueCharts.LastWeeksComparison(table, "perc_within_sla", top: 2));
        Assert.Equal(["Tree Issue", "Potholes"], Texts(sla[0], "y"));
        Assert.Equal([null, 50.0], Numbers(sla[0], "x"));
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
