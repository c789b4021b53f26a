using System.Text.Json.Nodes;
using ServiceRequests.Notebooks;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Notebooks;

/// <summary>The HTML page of an executed notebook, rendered from a hand-made run.</summary>
public class ReportPageTests
{
    private static NotebookRun Run(IReadOnlyDictionary<string, object?> variables, CellFailure? failure = null)
    {
        using var folder = new TempFolder();
        var path = TestNotebook.Write(folder.Path, "story", "// parameters\nvar source = \"sample\";\nDateOnly? from = null;", "var html = \"<b>\";");
        var notebook = NotebookDocument.Load(path);
        notebook.Cells[2]!["outputs"] = new JsonArray(
            new JsonObject { ["output_type"] = "display_data", ["data"] = new JsonObject { ["text/html"] = new JsonArray("<p id=\"out\">", "shown</p>") }, ["metadata"] = new JsonObject() },
            new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = new JsonArray("a < b\n") });
        return new NotebookRun(notebook, failure, variables, [], TimeSpan.Zero);
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
    }

    [Fact]
    public void A_failure_is_a_banner_and_secrets_in_a_source_address_are_masked()
    {
        var html = ReportPage.Render(Run(new Dictionary<string, object?> { ["source"] = "https://u:pw@data.example.org/resource/a.json?$$app_token=s3cr3t" },
            new CellFailure("story", "cell 3", 1, "error CS0103: The name 'x' does not exist")), DateTime.UtcNow);
        Assert.Contains("This report is partial: the notebook stopped at cell 3.", html);
        Assert.Contains("story.ipynb, cell 3, line 1: error CS0103: The name &#39;x&#39; does not exist", html);
        Assert.DoesNotContain("s3cr3t", html);
        Assert.DoesNotContain("pw@", html);
        Assert.Contains("app_token=***", html);
    }
}
