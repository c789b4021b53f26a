using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServiceRequests.Cli;
using ServiceRequests.Metrics;
using ServiceRequests.Tests.Infrastructure;
using ServiceRequests.Tests.Metrics;
using static ServiceRequests.Tests.Infrastructure.CliRun;

namespace ServiceRequests.Tests.Cli;

/// <summary>
/// <c>report</c> over the repository's notebooks on the bundled sample (one shared run): every
/// notebook runs, its tables and charts are in the HTML and the executed notebook, and a figure
/// of each is cross-checked against the library. Then failures and parameters on small notebooks.
/// </summary>
[Collection(NotebookCollection.Name)]
public class ReportCommandTests(ReportRun run)
{
    private static readonly Lazy<(Microsoft.Data.Analysis.DataFrame Issues, IssueMetrics Metrics)> Sample = new(() =>
    {
        var issues = IssueData.Load("sample");
        return (issues, new IssueMetrics(issues, SlaTable.LoadBundled()));
    });

    private static string Text(JsonNode? value) => value switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue text => (string?)text ?? "",
        _ => "",
    };

    private static int Charts(string html) => Regex.Count(html, "var renderPlotly_[0-9a-f]+ = function");

    [Fact]
    public void Runs_every_notebook_into_an_executed_notebook_and_an_html_report()
    {
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal("", run.Error);
        Assert.Contains("4 of 4 notebook(s) ran", run.Output);
        foreach (var name in new[] { "weekly-stats", "four-week-trends", "reopen-duplicates", "districts" })
        {
            // One line per notebook, not a line per cell (those interleaved across notebooks).
            Assert.Matches($@"(?m)^  {name}: \d+ cells ok, wrote ", run.Output);
            Assert.DoesNotContain(": cell ", run.Output);
            var html = run.Html(name);
            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.Contains("<dt>Data source</dt><dd>sample</dd>", html);
            Assert.Contains($"<dt>Date range</dt><dd>{Sample.Value.Metrics.FirstCreated:yyyy-MM-dd} to {Sample.Value.Metrics.LastCreated:yyyy-MM-dd}</dd>", html);
            Assert.Contains("<dt>Generated</dt>", html);
            Assert.DoesNotContain("report-error", html);
            // plotly.js once per report, inline (its banner), and no script from the network.
            Assert.Single(Regex.Matches(html, @"plotly\.js v2\.28\.0"));
            Assert.DoesNotMatch("<script[^>]+src=", html);
            Assert.True(Charts(html) >= 2, name);
            Assert.NotEmpty(HtmlTables.Parse(html));
        }
    }

    [Fact]
    public void Weekly_stats_shows_the_last_week_table_with_the_library_figures()
    {
        var html = run.Html("weekly-stats");
        var metrics = Sample.Value.Metrics;
        var week = metrics.WeekOf(metrics.LastCreated!.Value.AddDays(-6));
        var expected = metrics.Stats(week, week.AddDays(6));
        var table = HtmlTables.Parse(html)[0];
        // The original's columns and values, with the provisional mark after the type.
        Assert.Equal(expected.Columns.Select(c => c.Name).Take(1).Append("provisional").Concat(expected.Columns.Select(c => c.Name).Skip(1)), table.Headers);
        Assert.Equal(expected.Rows.Count, table.Rows.Length);
        var potholes = expected.Rows.Select((_, i) => i).Single(i => (string)expected["request_type_title"][i] == "Potholes");
        Assert.Equal(Convert.ToString(expected["num_issues"][potholes], CultureInfo.InvariantCulture), table.Cell("Potholes", "num_issues"));
        Assert.Contains($"Week of {week:yyyy-MM-dd} to {week.AddDays(6):yyyy-MM-dd}; days to close by the WallClock rule", html);
        // The original's table is computed with the original's timing rule (wall-clock days).
        var original = new IssueMetrics(Sample.Value.Issues, SlaTable.LoadBundled(), new MetricOptions { Duration = DurationMode.WallClock }).Stats(week, week.AddDays(6));
        var potholesMedian = (double?)original["median_days_create_to_close"][potholes];
        Assert.Equal(potholesMedian is { } m ? Math.Round(m, 2).ToString("0.##", CultureInfo.InvariantCulture) : "", table.Cell("Potholes", "median_days_create_to_close"));
        Assert.Equal(5, Charts(html)); // opened per week (top types), per month (top types and heatmap), time to close, SLA
        Assert.Contains(HtmlTables.Parse(html), t => t.Headers.SequenceEqual(["request_type_title", "num_issues", "num_reopened", "perc_reopened", "rank"]));
        Assert.Contains(HtmlTables.Parse(html), t => t.Headers.SequenceEqual(["request_type_title", "num_issues", "num_duplicates", "perc_duplicates", "rank"]));
    }

    [Fact]
    public void Four_week_trends_leads_with_the_tested_changes_then_the_censoring_aware_tables()
    {
        var html = run.Html("four-week-trends");
        var metrics = new IssueMetrics(Sample.Value.Issues, SlaTable.LoadBundled());
        // Only complete weeks are tested: the sample's as-of time is Sunday 1 November 06:00, so its last complete week is that of 25 October.
        var latest = metrics.LastCompleteWeek!.Value;
        Assert.Equal(new DateOnly(2026, 10, 25), latest);
        Assert.Contains("Tested: the 4 complete weeks 2026-10-04 to 2026-10-31 (Sunday–Saturday), against the 12 weeks before them.", html);
        var tables = HtmlTables.Parse(html);
        // First the flagged changes with their evidence (none here: a sentence says so), with the count of tested rows before them.
        var changes = metrics.Changes(latest);
        var flagged = changes["flagged"].Cast<bool?>().Count(f => f == true);
        Assert.Contains($"{flagged} of {changes.Rows.Count - changes["p_value"].NullCount} tested rows changed", html);
        string[] changeColumns = ["request_type_title", "metric", "test", "week_start", "weeks", "result", "change", "change_low", "change_high", "change_start", "q_value", "evidence"];
        Assert.Equal(flagged, tables.Where(t => t.Headers.SequenceEqual(changeColumns)).Sum(t => t.Rows.Length));
        Assert.Equal(flagged > 0, html.Contains("What changed, week by week", StringComparison.Ordinal));
        Assert.True(html.IndexOf("What changed", StringComparison.Ordinal) < html.IndexOf("Time to close, counting the issues still open", StringComparison.Ordinal));
        Assert.True(html.IndexOf("Time to close, counting the issues still open", StringComparison.Ordinal) < html.IndexOf("Backlog and ageing", StringComparison.Ordinal));

        // The Kaplan–Meier table of the last twelve weeks, the cohorts of all types, the backlog.
        var survival = metrics.TimeToCloseSurvival(latest.AddDays(-77), metrics.LastCreated);
        var survivalTable = tables.Single(t => t.Headers.SequenceEqual(survival.Columns.Select(c => c.Name)));
        Assert.Equal(Math.Round((double)Issues.Cell(survival, "Potholes", "median_days")!, 2).ToString("0.##", CultureInfo.InvariantCulture), survivalTable.Cell("Potholes", "median_days"));
        Assert.Contains(tables, t => t.Headers.SequenceEqual(["week_start", "request_type_title", "measure", "limit_days", "num_issues", "num_met", "perc_met", "perc_low", "perc_high", "state", "final_at"]));
        var backlog = tables.Single(t => t.Headers.SequenceEqual(["request_type_title", "department", "num_open", "open_0_7_days", "open_8_30_days", "open_31_90_days", "open_over_90_days", "median_age_days", "max_age_days"]));
        Assert.Equal(Convert.ToString(Issues.Cell(metrics.Backlog(), IssueMetrics.AllTypes, "num_open"), CultureInfo.InvariantCulture), backlog.Cell(IssueMetrics.AllTypes, "num_open"));

        // The weeks side by side, one row per week, further down: no threshold "flagged" column beside the tested changes.
        var allTypes = tables.Single(t => t.Headers[0] == "week_start" && t.Headers.Contains("provisional"));
        var weeks = Enumerable.Range(0, 4).Select(w => latest.AddDays(-7 * (3 - w)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(weeks, allTypes.Rows.Select(r => r[0]));
        Assert.Equal(["week_start", "provisional", "num_issues", "num_closed", "num_open", "mean_days_to_close", "median_days_to_close", "p90_days_to_close", "perc_within_sla", "num_breached", "perc_reopened", "perc_duplicates"], allTypes.Headers);
        Assert.DoesNotContain(tables, t => t.Headers.Contains("flagged"));
        var opened = metrics.Stats(latest, latest.AddDays(6))["num_issues"].Cast<int?>().Sum();
        Assert.Equal(opened!.Value.ToString(CultureInfo.InvariantCulture), allTypes.Cell(weeks[^1], "num_issues"));
        Assert.StartsWith($"{metrics.Stats(latest, latest.AddDays(6))["num_closed"].Cast<int?>().Sum():N0} of ", allTypes.Cell(weeks[^1], "provisional"));
        // The change timeline (with a flag) and three change ranges, two time-to-close, the cohort heatmap, two backlog, two side by side, the rolling trend.
        Assert.Equal(flagged > 0 ? 12 : 11, Charts(html));
    }

    [Fact]
    public void Reopen_duplicates_breaks_the_rates_down_by_council_district()
    {
        var html = run.Html("reopen-duplicates");
        var districts = HtmlTables.Parse(html).Single(t => t.Headers[0] == "council_district");
        Assert.Equal(["council_district", "num_issues", "num_reopened", "perc_reopened", "num_duplicates", "perc_duplicates"], districts.Headers);
        // Independent count over the raw frame: issues created in district 1.
        var issues = Sample.Value.Issues;
        var inDistrict1 = issues["council_district"].Cast<object?>().Count(v => v is not null && Convert.ToInt64(v, CultureInfo.InvariantCulture) == 1);
        Assert.Equal(inDistrict1.ToString(CultureInfo.InvariantCulture), districts.Cell("1", "num_issues"));
        Assert.Contains(HtmlTables.Parse(html), t => t.Headers[0] == "department");
        Assert.Equal(4, Charts(html));
    }

    [Fact]
    public void Districts_maps_the_2026_districts_with_the_library_figures()
    {
        var html = run.Html("districts");
        var areas = new AreaMetrics(Sample.Value.Issues, SlaTable.LoadBundled());
        var adjusted = areas.MixAdjusted();
        var table = HtmlTables.Parse(html).Single(t => t.Headers.SequenceEqual(adjusted.Columns.Select(c => c.Name)));
        Assert.Equal([AreaMetrics.City, "1", "2", "3", "4", "5", "6", "7"], table.Rows.Select(r => r[0]));
        var district3 = Convert.ToDouble(Issues.Cell(adjusted, "3", "adjusted_mean_days_to_close"), CultureInfo.InvariantCulture);
        Assert.Equal(Math.Round(district3, 2).ToString("0.##", CultureInfo.InvariantCulture), table.Cell("3", "adjusted_mean_days_to_close"));
        // Without a population file: no empty rate columns, a sentence saying how to give one.
        var perResident = HtmlTables.Parse(html).First(t => t.Headers.SequenceEqual(["council_district", "num_issues"]));
        Assert.DoesNotContain(HtmlTables.Parse(html), t => t.Headers.Contains("issues_per_1000_residents"));
        Assert.Contains("No population file given, so no rates per resident: pass --param population=FILE", html);
        var inDistrict5 = Sample.Value.Issues["council_district"].Cast<object?>().Count(v => v is not null && Convert.ToInt64(v, CultureInfo.InvariantCulture) == 5);
        Assert.Equal(inDistrict5.ToString(CultureInfo.InvariantCulture), perResident.Cell("5", "num_issues"));
        Assert.Contains(HtmlTables.Parse(html), t => t.Headers[0] == "neighborhood");
        // Each district against the city with its interval: on the synthetic sample none is distinguishable from the city, and the maps say so.
        var versus = areas.DifferenceFromCity();
        var versusTable = HtmlTables.Parse(html).Single(t => t.Headers.SequenceEqual(versus.Columns.Select(c => c.Name)));
        Assert.Equal(Math.Round((double)Issues.Cell(versus, "3", "diff_mean_days_to_close")!, 2).ToString("0.##", CultureInfo.InvariantCulture), versusTable.Cell("3", "diff_mean_days_to_close"));
        // Three district maps: issues, days to close and SLA share against the city; each names the seven districts.
        Assert.Equal(3, Charts(html));
        Assert.Equal(3, Regex.Count(html, "\"annotations\":\\[\\{"));
    }

    [Fact]
    public async Task Districts_with_a_population_table_and_neighborhood_polygons_maps_rates_per_1000_residents()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("population.csv"), "# made-up counts for the test\narea,population\n1,90000\n2,91000\n3,92000\n4,93000\n5,94000\n6,95000\n7,96000\n");
        // Two of the sample's neighborhood names, as boxes around their points (any polygons do for a map).
        File.WriteAllText(folder.File("nhoods.geojson"), Geo.BoundaryLayerTests.Collection(
            """{"type":"Feature","properties":{"nhood_name":"Corktown"},"geometry":{"type":"Polygon","coordinates":[[[-83.08,42.32],[-83.06,42.32],[-83.06,42.34],[-83.08,42.34],[-83.08,42.32]]]}}""",
            """{"type":"Feature","properties":{"nhood_name":"Brightmoor"},"geometry":{"type":"Polygon","coordinates":[[[-83.28,42.39],[-83.25,42.39],[-83.25,42.41],[-83.28,42.41],[-83.28,42.39]]]}}"""));

        var (code, output, error) = await Run("report", "--notebooks", RepoPaths.Of("notebooks", "districts.ipynb"), "--out", folder.File("out"),
            "--param", "population=" + folder.File("population.csv"), "--param", "neighborhoods=" + folder.File("nhoods.geojson"));

        Assert.True(code == 0, output + error);
        var html = File.ReadAllText(folder.File("out/districts.html"));
        var perResident = HtmlTables.Parse(html).First(t => t.Headers.SequenceEqual(["council_district", "num_issues", "population", "issues_per_1000_residents"]));
        var inDistrict1 = int.Parse(perResident.Cell("1", "num_issues"), CultureInfo.InvariantCulture);
        Assert.Equal("90000", perResident.Cell("1", "population"));
        Assert.Equal(Math.Round(inDistrict1 * 1000.0 / 90000, 2).ToString("0.##", CultureInfo.InvariantCulture), perResident.Cell("1", "issues_per_1000_residents"));
        Assert.Contains("Issues per 1,000 residents", html);
        Assert.Contains("Issues per neighborhood", html);
        Assert.Equal(4, Charts(html)); // residents, adjusted days, adjusted SLA share, the neighborhood map
    }

    [Fact]
    public void The_executed_notebooks_are_nbformat_4_with_html_and_text_outputs()
    {
        foreach (var name in new[] { "weekly-stats", "four-week-trends", "reopen-duplicates", "districts" })
        {
            var notebook = run.Notebook(name);
            PolyglotNotebook.AssertValid(notebook, name);
            var code = notebook["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").ToList();
            Assert.All(code, c => Assert.IsType<int>(c!["execution_count"]!.GetValue<int>()));
            var outputs = code.SelectMany(c => c!["outputs"]!.AsArray()).Select(o => o!.AsObject()).ToList();
            Assert.Contains(outputs, o => (string?)o["output_type"] == "execute_result");
            var shown = outputs.Where(o => (string?)o["output_type"] is "execute_result" or "display_data").ToList();
            Assert.All(shown, o => Assert.IsType<JsonObject>(o["metadata"]));
            // Tables carry HTML and plain text; charts their Plotly figure too (what the kernel emits, see docs/notebooks.md).
            var tables = shown.Where(o => Text(o["data"]!["text/html"]).Contains("<table class=\"sr-table\">", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(tables);
            Assert.All(tables, o => Assert.NotNull(o["data"]!["text/plain"]));
            var charts = shown.Where(o => o["data"]![ServiceRequests.Reports.ReportFormatters.PlotlyMimeType] is not null).ToList();
            Assert.NotEmpty(charts);
            Assert.All(charts, o =>
            {
                var figure = JsonNode.Parse(Text(o["data"]![ServiceRequests.Reports.ReportFormatters.PlotlyMimeType]))!;
                Assert.NotEmpty(figure["data"]!.AsArray());
                Assert.NotNull(figure["layout"]);
                Assert.Contains("Plotly.newPlot(", Text(o["data"]!["text/html"]));
                Assert.StartsWith("Plotly chart: ", Text(o["data"]!["text/plain"]));
            });
        }
    }

    [Fact]
    public async Task Four_week_trends_tests_only_complete_weeks_of_data_pulled_mid_week()
    {
        // The sample as if pulled on Wednesday 28 October 2026 at noon: nothing created, closed or updated later.
        using var folder = new TempFolder();
        const string Cut = "2026-10-28T12:00:00";
        var rows = JsonNode.Parse(ReadSample())!.AsArray();
        var kept = new JsonArray();
        foreach (var row in rows.Select(r => r!.AsObject()))
        {
            if (string.CompareOrdinal((string?)row["created_at"], Cut) >= 0)
            {
                continue;
            }
            foreach (var field in new[] { "acknowledged_at", "closed_at", "updated_at", "reopened_at" })
            {
                if (row[field] is { } value && string.CompareOrdinal((string?)value, Cut) >= 0)
                {
                    row.Remove(field);
                    if (field == "closed_at")
                    {
                        row["status"] = "Open";
                        row.Remove("days_to_close");
                    }
                }
            }
            kept.Add(row.DeepClone());
        }
        var data = folder.File("wednesday.json");
        File.WriteAllText(data, kept.ToJsonString());
        var (code, _, error) = await Run("report", "--notebooks", RepoPaths.Of("notebooks", "four-week-trends.ipynb"), "--out", folder.File("out"), "--param", $"source={data}");
        Assert.True(code == 0, error);
        var html = File.ReadAllText(folder.File("out/four-week-trends.html"));
        // The week of 25 October holds three days of issues: the window ends with the week of 18 October, and the page says why.
        Assert.Contains("Tested: the 4 complete weeks 2026-09-27 to 2026-10-24 (Sunday–Saturday), against the 12 weeks before them.", html);
        Assert.Contains("The week of 2026-10-25 is left out: it was not over when the data was pulled.", html);
        Assert.DoesNotContain("(Oct 25", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_window_longer_than_the_data_allows_is_one_line_and_exit_1_after_the_report_says_so()
    {
        using var folder = new TempFolder();
        var (code, _, error) = await Run("report", "--notebooks", RepoPaths.Of("notebooks", "four-week-trends.ipynb"), "--out", folder.File("out"), "--param", "weeks=30");
        Assert.Equal(1, code);
        const string Line = "Testing the 30 weeks up to the week of 2026-10-25 needs 120 weeks of data (those and the 90 before them as the baseline); "
            + "the data has 104 up to then (from the week of 2024-11-03): give fewer weeks or more data.";
        Assert.Contains($"ServiceRequestsException: {Line}", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal)));
        // Every other section ran; the change section says why it did not test.
        var html = File.ReadAllText(folder.File("out/four-week-trends.html"));
        Assert.Contains($"Not tested: {Line}", html);
        Assert.Contains("Backlog and ageing", html);
    }

    private static string ReadSample()
    {
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(RepoPaths.Of("data", "improve-detroit-sample.json.gz")), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return reader.ReadToEnd();
    }

    [Fact]
    public async Task A_failing_cell_stops_its_notebook_with_a_partial_report_but_not_the_others()
    {
        using var folder = new TempFolder();
        var notebooks = Directory.CreateDirectory(folder.File("nb")).FullName;
        TestNotebook.Write(notebooks, "a-bad", "var x = 40;", "display(x + 2);\nthrow new InvalidOperationException(\"boom\");", "var never = 1;");
        TestNotebook.Write(notebooks, "b-good", "1 + 1");
        var (code, output, error) = await Run("report", "--notebooks", notebooks, "--out", folder.File("out"));
        Assert.Equal(1, code);
        Assert.Contains("error: a-bad.ipynb, cell 3, line 2: System.InvalidOperationException: boom", error);
        Assert.Contains("1 of 2 notebook(s) ran", output);
        var partial = File.ReadAllText(folder.File("out/a-bad.html"));
        Assert.Contains("This report is partial", partial);
        Assert.Contains("<pre>42</pre>", partial);
        var executed = JsonNode.Parse(File.ReadAllText(folder.File("out/a-bad.ipynb")))!["cells"]!.AsArray();
        Assert.Equal("error", (string?)executed[2]!["outputs"]![1]!["output_type"]);
        Assert.Empty(executed[3]!["outputs"]!.AsArray());
        Assert.Contains("<pre>2</pre>", File.ReadAllText(folder.File("out/b-good.html")));
    }

    [Fact]
    public async Task Parameters_are_injected_after_the_parameters_cell_and_recorded()
    {
        using var folder = new TempFolder();
        var path = TestNotebook.Write(folder.Path, "p", "// parameters\nvar weeks = 4;\nDateOnly? from = null;\nvar source = \"sample\";", "$\"{weeks} {from:yyyy-MM-dd} {source}\"");
        var (code, _, error) = await Run("report", "--notebooks", path, "--out", folder.File("out"), "--param", "weeks=8", "--param", "from=2025-01-02", "--param", "source=a \"b\"");
        Assert.True(code == 0, error);
        var cells = JsonNode.Parse(File.ReadAllText(folder.File("out/p.ipynb")))!["cells"]!.AsArray();
        Assert.Equal("injected-parameters", (string?)cells[2]!["metadata"]!["tags"]![0]);
        Assert.Equal("8 2025-01-02 a \"b\"", string.Concat(cells[3]!["outputs"]![0]!["data"]!["text/plain"]!.AsArray().Select(l => (string?)l)));
        Assert.Contains("weeks = 8, from = 2025-01-02, source = a &quot;b&quot;", File.ReadAllText(folder.File("out/p.html")));
        Assert.Contains("<summary>injected parameters</summary>", File.ReadAllText(folder.File("out/p.html")));
        Assert.Contains("<summary>code (cell 3)</summary>", File.ReadAllText(folder.File("out/p.html")));
    }

    [Fact]
    public async Task An_unknown_parameter_is_a_usage_error_naming_the_known_ones()
    {
        using var folder = new TempFolder();
        var path = TestNotebook.Write(folder.Path, "p", "// parameters\nvar weeks = 4;");
        var (code, _, error) = await Run("report", "--notebooks", path, "--out", folder.File("out"), "--param", "week=8");
        Assert.Equal(1, code);
        Assert.Equal("error: Parameter week: no notebook declares it; the parameters are weeks.", error.Trim());
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public async Task A_bad_value_is_refused_before_any_notebook_runs()
    {
        using var folder = new TempFolder();
        TestNotebook.Write(folder.Path, "a", "// parameters\nvar weeks = 4;");
        TestNotebook.Write(folder.Path, "b", "// parameters\nDateOnly? from = null;");
        var (code, _, error) = await Run("report", "--notebooks", folder.Path, "--out", folder.File("out"), "--param", "weeks=8", "--param", "from=1/2/2025");
        Assert.Equal(1, code);
        Assert.Equal("error: b: parameter from=1/2/2025: not a DateOnly? (write yyyy-MM-dd) or null.", error.Trim());
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Fact]
    public async Task A_source_address_with_credentials_is_refused_without_echoing_them()
    {
        using var folder = new TempFolder();
        var path = TestNotebook.Write(folder.Path, "p", "// parameters\nvar source = \"sample\";");
        foreach (var address in new[] { "https://data.example.org/resource/abcd-1234.json?$$app_token=s3cr3t", "https://user:s3cr3t@data.example.org/resource/abcd-1234.json" })
        {
            var (code, output, error) = await Run("report", "--notebooks", path, "--out", folder.File("out"), "--param", "source=" + address);
            Assert.Equal(1, code);
            Assert.Contains("the address carries credentials", error);
            Assert.Contains("SOCRATA_APP_TOKEN", error);
            Assert.DoesNotContain("s3cr3t", error + output);
            Assert.False(Directory.Exists(folder.File("out")));
        }
    }

    [Fact]
    public async Task A_missing_notebook_folder_says_where_to_run_from()
    {
        using var folder = new TempFolder();
        var (code, _, error) = await Run("report", "--notebooks", folder.File("none"), "--out", folder.File("out"));
        Assert.Equal(1, code);
        Assert.Contains("run from the repository root or pass --notebooks", error);
    }
}
