using Microsoft.DotNet.Interactive.Documents;
using ServiceRequests.Notebooks;
using ServiceRequests.Reports;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Notebooks;

/// <summary>The HTML page of an executed notebook, rendered from a hand-made run.</summary>
public class ReportPageTests
{
    private static NotebookRun Run(IReadOnlyDictionary<string, object?> variables, CellFailure? failure = null, params InteractiveDocumentOutputElement[] more)
    {
        using var folder = new TempFolder();
        var path = TestNotebook.Write(folder.Path, "story", "// parameters\nvar source = \"sample\";\nDateOnly? from = null;", "var html = \"<b>\";");
        var notebook = NotebookFile.Read(path);
        notebook.Elements[2].Outputs.Add(new DisplayElement(new Dictionary<string, object> { ["text/html"] = "<p id=\"out\">shown</p>", ["text/plain"] = "shown" }));
        notebook.Elements[2].Outputs.Add(new TextElement("a < b\n", "stdout"));
        notebook.Elements[2].Outputs.AddRange(more);
        return new NotebookRun("story", notebook, failure, variables, [], TimeSpan.Zero);
    }

    [Fact]
    public void Header_markdown_code_and_outputs()
    {
        var html = ReportPage.Render(Run(new Dictionary<string, object?> { ["source"] = "sample", ["from"] = new DateOnly(2025, 1, 2), ["to"] = null, ["html"] = "<b>" }),
            new DateTime(2026, 5, 1, 12, 30, 0, DateTimeKind.Utc));
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<title>story</title>", html);
        Assert.Contains("<dt>Notebook</dt><dd>story.ipynb</dd>", html);
        Assert.Contains("<dt>Data source</dt><dd>sample</dd>", html);
        Assert.Contains("<dt>Date range</dt><dd>2025-01-02 to —</dd>", html);
        Assert.Contains("<dt>Parameters</dt><dd>source = sample, from = 2025-01-02</dd>", html);
        Assert.Contains("<dt>Generated</dt><dd>2026-05-01 12:30:00 UTC</dd>", html);
        Assert.Contains("<h1 id=\"story\">story</h1>", html);
        Assert.Contains("<em>test</em>", html);
        Assert.Contains("var html = &quot;&lt;b&gt;&quot;;", html);
        Assert.Contains("<div class=\"output\"><p id=\"out\">shown</p></div>", html);
        Assert.Contains("<pre class=\"output stream\">a &lt; b\n</pre>", html);
        Assert.DoesNotContain("report-error", html);
        Assert.DoesNotContain("plotly.js v", html); // no chart, no plotly.js
    }

    [Fact]
    public void Charts_are_drawn_from_their_figure_with_plotly_js_once_in_the_head()
    {
        var chart = ServiceRequests.Tests.Reports.ReportFormattersTests.Chart();
        var figure = new DisplayElement(new Dictionary<string, object>
        {
            [ReportFormatters.PlotlyMimeType] = ReportFormatters.ChartJson(chart), ["text/html"] = "<p>not this</p>", ["text/plain"] = "Plotly chart",
        });
        var html = ReportPage.Render(Run(new Dictionary<string, object?>(), null, figure, figure), DateTime.UtcNow);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, @"plotly\.js v2\.28\.0"));
        Assert.True(html.IndexOf("plotly.js v2.28.0", StringComparison.Ordinal) < html.IndexOf("</head>", StringComparison.Ordinal));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(html, "Plotly.newPlot\\('[0-9a-f]+', data, layout, config\\)"));
        Assert.DoesNotContain("not this", html);
    }

    [Fact]
    public void A_failure_is_a_banner_and_secrets_in_a_source_address_are_masked()
    {
        var html = ReportPage.Render(Run(new Dictionary<string, object?> { ["source"] = "https://u:pw@data.example.org/resource/a.json?$$app_token=s3cr3t" },
            new CellFailure("story", "cell 3", 1, "error CS0103: The name 'x' does not exist"), new ErrorElement("story.ipynb, cell 3, line 1: <x>", "CompilationError", [])), DateTime.UtcNow);
        Assert.Contains("This report is partial: the notebook stopped at cell 3.", html);
        Assert.Contains("story.ipynb, cell 3, line 1: error CS0103: The name &#39;x&#39; does not exist", html);
        Assert.Contains("<div class=\"output error\"><pre>story.ipynb, cell 3, line 1: &lt;x&gt;</pre></div>", html);
        Assert.DoesNotContain("s3cr3t", html);
        Assert.DoesNotContain("pw@", html);
        Assert.Contains("app_token=***", html);
    }
}
