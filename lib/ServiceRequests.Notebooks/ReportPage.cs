using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Markdig;
using Microsoft.DotNet.Interactive.Documents;
using ServiceRequests.Reports;

namespace ServiceRequests.Notebooks;

/// <summary>
/// The self-contained HTML report of an executed notebook: a header (notebook, data source, date
/// range, parameters, generation time), the markdown cells rendered with Markdig, each code cell
/// folded away with its outputs below it (tables as the kernel formatted them, charts drawn from
/// their Plotly figure with plotly.js inlined once in the page), and the error of a failed cell in
/// plain sight.
/// </summary>
internal static class ReportPage
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private const string Style =
        "body{font:15px/1.5 system-ui,sans-serif;max-width:1200px;margin:0 auto;padding:1em 2em;color:#1f2328}" +
        "header.report{border-bottom:2px solid #d0d7de;margin-bottom:1em}header.report dl{display:grid;grid-template-columns:max-content 1fr;gap:0 1em;font-size:13px}" +
        "header.report dt{color:#57606a}header.report dd{margin:0}" +
        "details.code summary{cursor:pointer;color:#57606a;font-size:12px}details.code pre{background:#f6f8fa;padding:.5em;overflow:auto;font-size:12px}" +
        ".output{overflow-x:auto;margin:.5em 0 1.5em;max-width:100%}.output pre,pre.output{white-space:pre-wrap;overflow-wrap:anywhere}.stream{background:#f6f8fa;padding:.5em;font-size:12px}" +
        ".error{border:2px solid #cf222e;background:#ffebe9;padding:.5em 1em;margin:1em 0}.error pre{white-space:pre-wrap;margin:0}" +
        "table{border-collapse:collapse}section.markdown{overflow-wrap:break-word}section.markdown code{overflow-wrap:anywhere}";

    /// <summary>Renders the report of <paramref name="run"/>, generated at <paramref name="generatedUtc"/>.</summary>
    public static string Render(NotebookRun run, DateTime generatedUtc)
    {
        var notebook = run.Notebook;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode(Title(run))).Append("</title><style>").Append(Style).Append(ReportFormatters.TableStyle).Append("</style>");
        if (notebook.Elements.SelectMany(c => c.Outputs).Any(o => Data(o)?.ContainsKey(ReportFormatters.PlotlyMimeType) == true))
        {
            html.Append(ReportFormatters.PlotlyScriptTag());
        }
        html.Append("</head><body>\n<header class=\"report\"><dl>");
        Field(html, "Notebook", run.Name + ".ipynb");
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
        foreach (var cell in notebook.Elements)
        {
            var injected = NotebookFile.HasTag(cell, NotebookParameters.InjectedTag);
            number += injected ? 0 : 1;
            if (!NotebookFile.IsCode(cell))
            {
                if (cell.KernelName == "markdown")
                {
                    html.Append("<section class=\"markdown\">").Append(Markdig.Markdown.ToHtml(cell.Contents, Markdown)).Append("</section>\n");
                }
                continue;
            }
            html.Append("<details class=\"code\"><summary>").Append(injected ? "injected parameters" : $"code (cell {number})").Append("</summary><pre><code>")
                .Append(Encode(cell.Contents)).Append("</code></pre></details>\n");
            foreach (var output in cell.Outputs)
            {
                Output(html, output);
            }
        }
        html.Append("</main></body></html>\n");
        return html.ToString();
    }

    private static void Output(StringBuilder html, InteractiveDocumentOutputElement output)
    {
        switch (output)
        {
            case TextElement text:
                html.Append("<pre class=\"output stream\">").Append(Encode(text.Text)).Append("</pre>\n");
                break;
            case ErrorElement error:
                html.Append("<div class=\"output error\"><pre>").Append(Encode(error.ErrorValue)).Append("</pre></div>\n");
                break;
            default:
                var data = Data(output);
                if (data is null)
                {
                    break;
                }
                html.Append("<div class=\"output\">");
                if (data.TryGetValue(ReportFormatters.PlotlyMimeType, out var figure))
                {
                    Chart(html, Text(figure));
                }
                else if (data.TryGetValue("text/html", out var markup))
                {
                    html.Append(Text(markup));
                }
                else if (data.TryGetValue("text/plain", out var plain))
                {
                    html.Append("<pre>").Append(Encode(Text(plain))).Append("</pre>");
                }
                html.Append("</div>\n");
                break;
        }
    }

    /// <summary>A chart drawn from its Plotly figure (JSON escaped for a script element); plotly.js is in the page's head.</summary>
    private static void Chart(StringBuilder html, string figureJson)
    {
        var figure = JsonNode.Parse(figureJson)!;
        var id = Guid.NewGuid().ToString("N");
        html.Append(CultureInfo.InvariantCulture, $"<div id=\"{id}\"></div><script type=\"text/javascript\">var renderPlotly_{id} = function() {{\n")
            .Append("var data = ").Append(figure["data"]?.ToJsonString() ?? "[]").Append(";\nvar layout = ").Append(figure["layout"]?.ToJsonString() ?? "{}")
            .Append(";\nvar config = ").Append(figure["config"]?.ToJsonString() ?? "{}")
            .Append(CultureInfo.InvariantCulture, $";\nPlotly.newPlot('{id}', data, layout, config);\n}};\nrenderPlotly_{id}();\n</script>");
    }

    private static IDictionary<string, object>? Data(InteractiveDocumentOutputElement output) => output switch
    {
        DisplayElement display => display.Data,
        ReturnValueElement value => value.Data,
        _ => null,
    };

    /// <summary>The first markdown heading, or the notebook's name.</summary>
    private static string Title(NotebookRun run) =>
        run.Notebook.Elements.Where(c => c.KernelName == "markdown")
            .SelectMany(c => c.Contents.Split('\n'))
            .FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..].Trim() ?? run.Name;

    private static string Parameters(InteractiveDocument notebook, IReadOnlyDictionary<string, object?> variables)
    {
        var cell = notebook.Elements.FirstOrDefault(c => NotebookFile.IsCode(c) && NotebookFile.HasTag(c, NotebookParameters.Tag));
        return cell is null ? "" : string.Join(", ", NotebookParameters.Declared(cell.Contents).Keys
            .Where(variables.ContainsKey)
            .Select(name => $"{name} = {(name == "source" ? Source(variables[name]) : Value(variables[name]))}"));
    }

    private static string Source(object? source) =>
        source is string s && Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? ReportOutput.SafeAddress(uri) : Value(source);

    private static string Date(object? value) => value is DateOnly date ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "—";

    private static string Value(object? value) => value switch
    {
        null => "null",
        "" => "\"\"",
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static void Field(StringBuilder html, string name, string value) =>
        html.Append("<dt>").Append(Encode(name)).Append("</dt><dd>").Append(Encode(value)).Append("</dd>");

    /// <summary>An output value as text: a string, or nbformat's list of lines.</summary>
    private static string Text(object? value) => value switch
    {
        string text => text,
        IEnumerable<string> lines => string.Concat(lines),
        System.Text.Json.JsonElement element => element.ValueKind == System.Text.Json.JsonValueKind.String ? element.GetString()! : element.GetRawText(),
        null => "",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
