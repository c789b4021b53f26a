using System.Text.Json.Nodes;
using ServiceRequests.Reports;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Notebooks;

/// <summary>
/// The notebooks in the real .NET Interactive kernel (what VS Code, JupyterLab and dotnet-repl
/// run): no error output in any cell, tables and charts in the MIME types those front ends draw,
/// and every shown value equal to what <c>report</c> shows for the same parameters.
/// </summary>
[Collection(RealKernelCollection.Name)]
public class RealKernelTests(RealKernelRuns runs)
{
    public static TheoryData<string, string> Runs()
    {
        var runs = new TheoryData<string, string>();
        foreach (var client in new[] { "jupyter", "repl" })
        {
            foreach (var path in Directory.GetFiles(RepoPaths.Of("notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            {
                runs.Add(client, Path.GetFileNameWithoutExtension(path));
            }
        }
        return runs;
    }

    [JupyterTheory]
    [MemberData(nameof(Runs))]
    public void Every_cell_runs_without_an_error(string client, string name)
    {
        var notebook = runs.Executed(client, name);
        var cells = Code(notebook);
        Assert.NotEmpty(cells);
        foreach (var cell in cells)
        {
            var outputs = cell["outputs"]!.AsArray().Select(o => o!).ToList();
            var errors = outputs.Where(o => (string?)o["output_type"] == "error" || (string?)o["name"] == "stderr").ToList();
            Assert.True(errors.Count == 0, $"{client} {name}.ipynb, code cell {cells.IndexOf(cell) + 1}: {string.Join("\n", errors.Select(e => e.ToJsonString()))}");
        }
    }

    [JupyterTheory]
    [MemberData(nameof(Runs))]
    public void Tables_and_charts_carry_the_mime_types_front_ends_draw(string client, string name)
    {
        var shown = Code(runs.Executed(client, name)).SelectMany(c => c["outputs"]!.AsArray()).Select(o => o!["data"]).OfType<JsonObject>().ToList();
        var tables = shown.Where(d => Text(d["text/html"]).Contains("<table class=\"sr-table\">", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tables);
        Assert.All(tables, d => Assert.False(string.IsNullOrWhiteSpace(Text(d["text/plain"]))));
        var charts = shown.Where(d => d[ReportFormatters.PlotlyMimeType] is not null).ToList();
        Assert.All(charts, d =>
        {
            var figure = Figure(d);
            Assert.NotEmpty(figure["data"]!.AsArray());
            Assert.IsType<JsonObject>(figure["layout"]);
            Assert.Contains("Plotly.newPlot(", Text(d["text/html"]));
            Assert.DoesNotMatch("<script[^>]+src=", Text(d["text/html"])); // nothing from the network
            Assert.StartsWith("Plotly chart: ", Text(d["text/plain"]));
        });
        Assert.NotEmpty(charts);
        // The notebook's first chart carries plotly.js for front ends that draw the HTML (nbconvert's export, JupyterLab without plotly's extension).
        Assert.Contains("plotly.js v2.28.0", Text(charts[0]["text/html"]));
    }

    [JupyterTheory]
    [MemberData(nameof(Runs))]
    public void Every_shown_value_is_what_report_shows(string client, string name)
    {
        var kernel = Shown(runs.Executed(client, name));
        var report = Shown(runs.Executed("report", name));
        Assert.Equal(report.Keys.Order(StringComparer.Ordinal), kernel.Keys.Order(StringComparer.Ordinal));
        foreach (var (cell, values) in report)
        {
            Assert.True(values.Count == kernel[cell].Count, $"{name} cell {cell}: report shows {values.Count} values, {client} {kernel[cell].Count}");
            for (var i = 0; i < values.Count; i++)
            {
                Assert.Equal(values[i].Plain, kernel[cell][i].Plain);
                Assert.True(JsonNode.DeepEquals(values[i].Figure, kernel[cell][i].Figure), $"{name} cell {cell}: the chart differs");
            }
        }
    }

    [JupyterFact]
    public void A_missing_or_stale_library_says_which_build_command_to_run()
    {
        // The repository's layout in small: the tool manifest (the kernelspec runs `dotnet interactive`), the notebooks'
        // library check, the library's sources, and (later) its DLL.
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File(".config"));
        File.Copy(RepoPaths.Of(".config", "dotnet-tools.json"), folder.File(".config/dotnet-tools.json"));
        var check = Code(JsonNode.Parse(File.ReadAllText(RepoPaths.Of("notebooks", "weekly-stats.ipynb")))!.AsObject()).Single(c => (string?)c["id"] == "library");
        var notebook = TestNotebook.Write(Directory.CreateDirectory(folder.File("notebooks")).FullName, "check", Text(check["source"]));
        Directory.CreateDirectory(folder.File("lib/ServiceRequests/bin/Release/net8.0"));
        File.WriteAllText(folder.File("lib/ServiceRequests/IssueData.cs"), "// a source of the library");

        var missing = Error(runs.Execute(notebook));
        Assert.Contains("ServiceRequests.dll is missing: run `dotnet build lib/ServiceRequests -c Release -f net8.0` from the repository root", missing);

        var dll = folder.File("lib/ServiceRequests/bin/Release/net8.0/ServiceRequests.dll");
        File.WriteAllText(dll, "an old build");
        File.SetLastWriteTimeUtc(dll, DateTime.UtcNow.AddHours(-1));
        var stale = Error(runs.Execute(notebook));
        Assert.Contains("ServiceRequests.dll is older than IssueData.cs: run `dotnet build lib/ServiceRequests -c Release -f net8.0`", stale);
        Assert.Contains("restart the kernel", stale);

        File.SetLastWriteTimeUtc(dll, DateTime.UtcNow.AddHours(1));
        Assert.Equal("", Error(runs.Execute(notebook)));

        static string Error(JsonObject executed) => string.Concat(Code(executed).SelectMany(c => c["outputs"]!.AsArray())
            .Where(o => (string?)o!["output_type"] == "error").Select(o => (string?)o!["evalue"]));
    }

    [JupyterFact]
    public void A_notebook_loads_a_parquet_file_whose_native_reader_sits_in_the_build_folder()
    {
        // The kernel loads ServiceRequests.dll by path: no .deps.json tells it where ParquetSharp's native
        // library is (DllNotFoundException before ParquetNativeLibrary).
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File(".config"));
        File.Copy(RepoPaths.Of(".config", "dotnet-tools.json"), folder.File(".config/dotnet-tools.json"));
        var parquet = folder.File("issues.parquet");
        using (var file = File.Create(parquet))
        {
            ServiceRequests.Portal.PortalParquet.Write(ServiceRequests.Portal.PortalParquet.ToFrame(FakeRows.Sample(321, seed: 5)), file);
        }
        var library = RepoPaths.Of("lib", "ServiceRequests", "bin", "Release", "net8.0", "ServiceRequests.dll");
        var notebook = TestNotebook.Write(Directory.CreateDirectory(folder.File("notebooks")).FullName, "parquet",
            $"#r \"{library}\"\nusing ServiceRequests;\nusing ServiceRequests.Metrics;",
            $"IssueData.LoadFile(\"{parquet}\").Rows.Count",
            $"(await IssueData.LoadAsync(\"{parquet}\", new IssueLoadOptions {{ Columns = IssueMetrics.InputColumns }})).Columns.Count");

        var executed = runs.Execute(notebook);

        var outputs = Code(executed).SelectMany(c => c["outputs"]!.AsArray()).ToList();
        Assert.DoesNotContain(outputs, o => (string?)o!["output_type"] == "error");
        // The kernel shows a number as HTML only (<pre>321</pre>).
        var shown = Code(executed).Skip(1).Select(c => Text(c["outputs"]!.AsArray().Single(o => (string?)o!["output_type"] == "execute_result")!["data"]!["text/html"])).ToList();
        Assert.Contains("<pre>321</pre>", shown[0], StringComparison.Ordinal);
        Assert.Contains("<pre>7</pre>", shown[1], StringComparison.Ordinal);
    }

    /// <summary>Per code cell (by position; dotnet-repl drops cell ids): what it shows as plain text, and the Plotly figure of a chart; the kernel's own package messages left out.</summary>
    private static Dictionary<string, List<(string Plain, JsonNode? Figure)>> Shown(JsonObject notebook) =>
        Code(notebook).Select((c, i) => (Cell: i + 1, Outputs: c["outputs"]!.AsArray())).ToDictionary(c => $"code cell {c.Cell}", c => c.Outputs
            .Select(o => o!["data"]).OfType<JsonObject>()
            .Where(d => d["text/plain"] is not null && !Text(d["text/plain"]).StartsWith("Loading extensions from", StringComparison.Ordinal))
            .Select(d => (Text(d["text/plain"]), d[ReportFormatters.PlotlyMimeType] is null ? null : (JsonNode?)Figure(d)))
            .ToList());

    private static List<JsonObject> Code(JsonObject notebook) =>
        [.. notebook["cells"]!.AsArray().Select(c => c!.AsObject()).Where(c => (string?)c["cell_type"] == "code")];

    /// <summary>The Plotly figure: a JSON object, or its text (the kernel sends JSON MIME types other than application/json as strings).</summary>
    private static JsonObject Figure(JsonObject data) => data[ReportFormatters.PlotlyMimeType] switch
    {
        JsonObject figure => figure,
        var text => JsonNode.Parse(Text(text))!.AsObject(),
    };

    private static string Text(JsonNode? value) => value switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        JsonValue text => (string?)text ?? "",
        _ => "",
    };
}
