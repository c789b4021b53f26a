using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Markdig;
using ServiceRequests.Http;
using ServiceRequests.Reports;

namespace ServiceRequests.Notebooks;

/// <summary>
/// The self-contained HTML report of an executed notebook: a header (notebook, data source, date
/// range, parameters, generation time), the markdown cells rendered with Markdig, each code cell
/// folded away with its outputs below it (tables and charts as the runner formatted them; plotly.js
/// is inlined once, with the first chart), and the error of a failed cell in plain sight.
/// </summary>
internal static class ReportPage
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private const string Style =
        "body{font:15px/1.5 system-ui,sans-serif;max-width:1200px;margin:0 auto;padding:1em 2em;color:#1f2328}" +
        "header.report{border-bottom:2px solid #d0d7de;margin-bottom:1em}header.report dl{display:grid;grid-template-columns:max-content 1fr;gap:0 1em;font-size:13px}" +
        "header.report dt{color:#57606a}header.report dd{margin:0}" +
        "details.code summary{cursor:pointer;color:#57606a;font-size:12px}details.code pre{background:#f6f8fa;padding:.5em;overflow:auto;font-size:12px}" +
        ".output{overflow-x:auto;margin:.5em 0 1.5em}.stream{background:#f6f8fa;padding:.5em;font-size:12px}" +
        ".error{border:2px solid #cf222e;background:#ffebe9;padding:.5em 1em;margin:1em 0}.error pre{white-space:pre-wrap;margin:0}" +
        "table{border-collapse:collapse}";

    /// <summary>Renders the report of <paramref name="run"/>, generated at <paramref name="generatedUtc"/>.</summary>
    public static string Render(NotebookRun run, DateTime generatedUtc)
    {
        var notebook = run.Notebook;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode(Title(notebook))).Append("</title><style>").Append(Style).Append(ReportFormatters.TableStyle)
            .Append("</style></head><body>\n<header class=\"report\"><dl>");
        Field(html, "Notebook", notebook.Name + ".ipynb");
        Field(html, "Data source", Source(run.Variables.GetValueOrDefault("source")));
        Field(html, "Date range", $"{Date(run.Variables.GetValueOrDefault("from"))} to {Date(run.Variables.GetValueOrDefault("to"))}");
        var parameters = Parameters(notebook, run.Variables);
        if (parameters.Length > 0)
        {
            Field(html, "Parameters", parameters);
        }
        Field(html, "Generated", generatedUtc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        html.Append("</dl></header>\n");
        if (run.Failure is { } failure)
        {
            html.Append("<div class=\"error\" id=\"report-error\"><strong>This report is partial: the notebook stopped at ")
                .Append(Encode(failure.Cell)).Append(".</strong><pre>").Append(Encode(failure.ToString())).Append("</pre></div>\n");
        }
        html.Append("<main>\n");
        var number = 0;
        foreach (var cell in notebook.Cells.Select(c => c!))
        {
            var injected = NotebookDocument.HasTag(cell, NotebookParameters.InjectedTag);
            number += injected ? 0 : 1;
            var source = NotebookDocument.SourceOf(cell)!;
            switch (NotebookDocument.TypeOf(cell))
            {
                case "markdown":
                    html.Append("<section class=\"markdown\">").Append(Markdig.Markdown.ToHtml(source, Markdown)).Append("</section>\n");
                    break;
                case "code":
                    html.Append("<details class=\"code\"><summary>").Append(injected ? "injected parameters" : $"code (cell {number})").Append("</summary><pre><code>")
                        .Append(Encode(source)).Append("</code></pre></details>\n");
                    foreach (var output in cell["outputs"] as JsonArray ?? [])
                    {
                        Output(html, output!);
                    }
                    break;
            }
        }
        html.Append("</main></body></html>\n");
        return html.ToString();
    }

    private static void Output(StringBuilder html, JsonNode output)
    {
        switch ((string?)output["output_type"])
        {
            case "display_data" or "execute_result":
                html.Append("<div class=\"output\">").Append(Text(output["data"]?["text/html"])).Append("</div>\n");
                break;
            case "stream":
                html.Append("<pre class=\"output stream\">").Append(Encode(Text(output["text"]))).Append("</pre>\n");
                break;
            case "error":
                html.Append("<div class=\"output error\"><pre>").Append(Encode((string?)output["evalue"] ?? "")).Append("</pre></div>\n");
                break;
        }
    }

    /// <summary>The first markdown heading, or the notebook's name.</summary>
    private static string Title(NotebookDocument notebook) =>
        notebook.Cells.Where(c => NotebookDocument.TypeOf(c!) == "markdown")
            .SelectMany(c => NotebookDocument.SourceOf(c!)!.Split('\n'))
            .FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim() ?? notebook.Name;

    private static string Parameters(NotebookDocument notebook, IReadOnlyDictionary<string, object?> variables)
    {
        var cell = notebook.Cells.FirstOrDefault(c => NotebookDocument.TypeOf(c!) == "code" && NotebookDocument.HasTag(c!, NotebookParameters.Tag));
        return cell is null ? "" : string.Join(", ", NotebookParameters.Declared(NotebookDocument.SourceOf(cell)!).Keys
            .Where(variables.ContainsKey)
            .Select(name => $"{name} = {(name == "source" ? Source(variables[name]) : Value(variables[name]))}"));
    }

    private static string Source(object? source) =>
        source is string s && Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? SafeUri.Of(uri) : Value(source);

    private static string Date(object? value) => value is DateOnly date ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    private static string Value(object? value) => value switch
    {
        null => "null",
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static void Field(StringBuilder html, string name, string value) =>
        html.Append("<dt>").Append(Encode(name)).Append("</dt><dd>").Append(Encode(value)).Append("</dd>");

    private static string Text(JsonNode? node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue value => (string?)value ?? "",
        _ => "",
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
