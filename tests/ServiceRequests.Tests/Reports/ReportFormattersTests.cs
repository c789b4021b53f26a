using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using ServiceRequests.Metrics;
using ServiceRequests.Reports;
using ServiceRequests.Tests.Metrics;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Reports;

/// <summary>Offline HTML for tables and charts.</summary>
public class ReportFormattersTests
{
    private static DataFrame Frame(int rows) => new(
        new StringDataFrameColumn("name", Enumerable.Range(0, rows).Select(i => i == 1 ? "<b>&" : i == 2 ? null : "t" + i)),
        new DoubleDataFrameColumn("value", Enumerable.Range(0, rows).Select(i => i == 2 ? (double?)null : 1234.5678 * i)),
        new PrimitiveDataFrameColumn<DateTime>("at", Enumerable.Range(0, rows).Select(i => (DateTime?)new DateTime(2025, 1, 1 + i % 28, i % 2 * 13, 0, 0))));

    /// <summary>A small chart (also drawn by the browser test).</summary>
    internal static GenericChart Chart() =>
        IssueCharts.ReopenDuplicateRatesBy(ReopenDuplicateRates.By(Issues.Frame(new Issue("Potholes", "2025-06-02 08:00")), "request_type_title"));

    [Fact]
    public void A_table_shows_every_row_up_to_the_limit_with_encoded_invariant_values()
    {
        var table = HtmlTables.Parse(ReportFormatters.TableHtml(Frame(3))).Single();
        Assert.Equal(["name", "value", "at"], table.Headers);
        // A column with a time of day shows it on every row (one format per column, never dates mixed with times).
        Assert.Equal([["t0", "0", "2025-01-01 00:00"], ["<b>&", "1234.57", "2025-01-02 13:00"], ["", "", "2025-01-03 00:00"]], table.Rows);
        var html = ReportFormatters.TableHtml(Frame(3));
        Assert.Contains("&lt;b&gt;&amp;", html);
        Assert.Contains("<td class=\"null\"></td>", html);
        Assert.Contains("<td class=\"num\">1234.57</td>", html);
        Assert.DoesNotContain("showing", html);
    }

    [Fact]
    public void Provisional_rows_are_marked_with_how_many_are_closed_and_greyed_with_a_note()
    {
        var stats = new DataFrame(
            new StringDataFrameColumn("request_type_title", ["Potholes", "Tree Issue"]),
            new Int32DataFrameColumn("num_issues", [35, 4]),
            new Int32DataFrameColumn("num_closed", [7, 4]),
            new DoubleDataFrameColumn("perc_within_sla", [100.0, 50.0]));

        var marked = ReportFormatters.MarkProvisional(stats);

        Assert.Equal(["request_type_title", "provisional", "num_issues", "num_closed", "perc_within_sla"], marked.Columns.Select(c => c.Name));
        var html = ReportFormatters.TableHtml(marked);
        var table = HtmlTables.Parse(html).Single();
        // The values stay as they are; the 100 of a week with 7 of 35 closed carries its mark.
        Assert.Equal([["Potholes", "7 of 35 closed", "35", "7", "100"], ["Tree Issue", "", "4", "4", "50"]], table.Rows);
        Assert.Contains("<tr class=\"sr-provisional\"><td>Potholes</td>", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "sr-provisional\""));
        Assert.Contains("Grey, italic rows are <em>provisional</em>", html);
        Assert.DoesNotContain("provisional</em>", ReportFormatters.TableHtml(ReportFormatters.MarkProvisional(stats.Filter(stats["num_closed"].ElementwiseEquals(4)))));
        Assert.Throws<ArgumentException>(() => ReportFormatters.MarkProvisional(stats, closedColumn: "closed"));
    }

    [Fact]
    public void An_empty_table_is_a_sentence_and_a_wide_one_is_set_to_fit()
    {
        var empty = ReportFormatters.TableHtml(Frame(0));
        Assert.Empty(HtmlTables.Parse(empty));
        Assert.Contains("No rows: nothing in this table's range matched (columns: name, value, at).", empty);

        var wide = new DataFrame(Enumerable.Range(0, 14).Select(i => (DataFrameColumn)new Int32DataFrameColumn($"num_status_{i}", [i])));
        var html = ReportFormatters.TableHtml(wide);
        Assert.Contains("<table class=\"sr-table sr-wide\">", html);
        // Long names break after their underscores instead of widening the page.
        Assert.Contains("<th>num_<wbr>status_<wbr>13</th>", html);

        // More columns than a page holds: parts one below the other, each repeating the row's name.
        var months = new DataFrame(new DataFrameColumn[] { new StringDataFrameColumn("request_type_title", ["Potholes"]) }
            .Concat(Enumerable.Range(1, 26).Select(i => (DataFrameColumn)new Int32DataFrameColumn($"m{i}", [i]))));
        var split = ReportFormatters.TableHtml(months);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(split, "<table "));
        Assert.Contains("<table class=\"sr-table sr-wide\" data-part=\"2/2\"><thead><tr><th>request_<wbr>type_<wbr>title</th><th>m14</th>", split);
        var joined = HtmlTables.Parse(split).Single();
        Assert.Equal(months.Columns.Select(c => c.Name), joined.Headers);
        Assert.Equal("26", joined.Cell("Potholes", "m26"));
    }

    [Fact]
    public void A_long_table_is_cut_with_a_note_of_the_total()
    {
        var html = ReportFormatters.TableHtml(Frame(1200), maxRows: 10);
        Assert.Equal(10, HtmlTables.Parse(html).Single().Rows.Length);
        Assert.Contains("showing 10 of 1,200 rows", html);
        Assert.Equal(ReportFormatters.DefaultMaxRows, HtmlTables.Parse(ReportFormatters.TableHtml(Frame(100))).Single().Rows.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReportFormatters.TableHtml(Frame(1), 0));
    }

    [Fact]
    public void Charts_carry_plotly_js_only_when_asked()
    {
        var chart = Chart();
        var bare = ReportFormatters.ChartHtml(chart);
        Assert.Contains("Plotly.newPlot(", bare);
        Assert.DoesNotContain("plotly.js v", bare);
        Assert.DoesNotContain("cdn.plot.ly", bare);
        var full = ReportFormatters.ChartHtml(chart, includePlotlyJs: true);
        Assert.StartsWith("<script type=\"text/javascript\">", full);
        Assert.Contains("plotly.js v2.28.0", full);
        Assert.Contains("</script><div><div id=", full);
        Assert.DoesNotContain("</script>", ReportFormatters.PlotlyJs, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Chart_json_is_what_plotly_net_writes_for_every_chart_kind()
    {
        var metrics = new IssueMetrics(Issues.Frame(
            new Issue("Potholes", "2025-06-02 08:00", "2025-06-04 08:00") { Reopened = "2025-06-03 08:00" },
            new Issue("Tree </script> Issue", "2025-06-10 08:00", "2025-06-30 08:00") { Canonical = 1 }), SlaTable.Parse(
            "request_type_title,department,sla_days\nPotholes,Public Works,2\nTree </script> Issue,General Services,14\n"),
            new MetricOptions { WeeksShown = 2, RollingWeeks = 2 });
        var charts = new[]
        {
            IssueCharts.OpenedByType(metrics.OpenedByWeek()),
            IssueCharts.TimeToCloseByDepartment(metrics.TimeToClose(by: MetricGrouping.Department)),
            IssueCharts.SlaComplianceByDepartment(metrics.SlaCompliance(by: MetricGrouping.Department)),
            IssueCharts.LastWeeksComparison(metrics.LastWeeks()),
            IssueCharts.ReopenDuplicateTrends(metrics.RollingSeries()),
        };
        foreach (var chart in charts)
        {
            var html = ReportFormatters.ChartHtml(chart);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "</script>"));
            var match = System.Text.RegularExpressions.Regex.Match(html, "var data = (.*);\nvar layout = (.*);\nvar config = (.*);\nPlotly.newPlot\\('([0-9a-f]+)'");
            Assert.True(match.Success, html);
            Assert.Contains($"<div id=\"{match.Groups[4].Value}\">", html);
            var expected = System.Text.Json.Nodes.JsonNode.Parse(GenericChart.toJson(chart))!;
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(expected["data"], System.Text.Json.Nodes.JsonNode.Parse(match.Groups[1].Value)), html);
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(expected["layout"], System.Text.Json.Nodes.JsonNode.Parse(match.Groups[2].Value)), html);
            Assert.NotNull(System.Text.Json.Nodes.JsonNode.Parse(match.Groups[3].Value));
        }
    }

    [Fact]
    public void Register_makes_the_interactive_formatter_write_tables_and_plots_in_every_mime_type()
    {
        ReportFormatters.Register(maxRows: 2);
        Assert.Equal(ReportFormatters.TableHtml(Frame(5), 2), Frame(5).ToDisplayString(HtmlFormatter.MimeType));
        Assert.Equal(ReportFormatters.TableText(Frame(5), 2), Frame(5).ToDisplayString(PlainTextFormatter.MimeType));
        var chart = Chart();
        Assert.Contains("plotly.js v2.28.0", chart.ToDisplayString(HtmlFormatter.MimeType));
        Assert.DoesNotContain("plotly.js v2.28.0", chart.ToDisplayString(HtmlFormatter.MimeType));
        Assert.Equal(ReportFormatters.ChartJson(chart), chart.ToDisplayString(ReportFormatters.PlotlyMimeType));
        Assert.Equal(ReportFormatters.ChartText(chart), chart.ToDisplayString(PlainTextFormatter.MimeType));
        // What the kernel emits for a displayed value: every preferred MIME type, the Plotly figure first.
        Assert.Equal([ReportFormatters.PlotlyMimeType, HtmlFormatter.MimeType, PlainTextFormatter.MimeType], Formatter.GetPreferredMimeTypesFor(chart.GetType()));
        Assert.Equal([HtmlFormatter.MimeType, PlainTextFormatter.MimeType], Formatter.GetPreferredMimeTypesFor(typeof(DataFrame)));
        ReportFormatters.Register();
    }

    [Fact]
    public void A_table_as_plain_text_lines_up_its_columns_and_says_what_was_cut()
    {
        Assert.Equal(
            "name  value    at\n" +
            "t0          0  2025-01-01 00:00\n" +
            "<b>&  1234.57  2025-01-02 13:00\n" +
            "showing 2 of 3 rows\n",
            ReportFormatters.TableText(Frame(3), maxRows: 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReportFormatters.TableText(Frame(1), 0));
    }

    [Fact]
    public void A_chart_as_a_plotly_figure_and_as_one_line_of_text()
    {
        var chart = Chart();
        var figure = System.Text.Json.Nodes.JsonNode.Parse(ReportFormatters.ChartJson(chart))!;
        var expected = System.Text.Json.Nodes.JsonNode.Parse(GenericChart.toJson(chart))!;
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(expected["data"], figure["data"]));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(expected["layout"], figure["layout"]));
        Assert.IsType<System.Text.Json.Nodes.JsonObject>(figure["config"]);
        Assert.Equal("Plotly chart: Re-opened and duplicate rates by request type title (2 traces)", ReportFormatters.ChartText(chart));
    }
}
