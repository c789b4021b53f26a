using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Documents;
using ServiceRequests.Notebooks;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Notebooks;

/// <summary>The runner on small notebooks: outputs as the kernel makes them, and errors that name notebook, cell and line.</summary>
[Collection(NotebookCollection.Name)]
public class NotebookRunnerTests
{
    private static async Task<NotebookRun> Run(params string[] cells)
    {
        using var folder = new TempFolder();
        var path = TestNotebook.Write(folder.Path, "t", cells);
        return await new NotebookRunner(TextWriter.Null).RunAsync(path, [], CancellationToken.None);
    }

    private static List<InteractiveDocumentOutputElement> Outputs(NotebookRun run, int cell) => run.Notebook.Elements[cell].Outputs;

    private static IDictionary<string, object> Data(InteractiveDocumentOutputElement output) => output switch
    {
        DisplayElement d => d.Data,
        ReturnValueElement r => r.Data,
        _ => throw new InvalidOperationException(output.GetType().Name),
    };

    private static string Plain(InteractiveDocumentOutputElement output) => (string)Data(output)["text/plain"];

    private static string Html(InteractiveDocumentOutputElement output) => (string)Data(output)["text/html"];

    [Fact]
    public async Task Trailing_expressions_display_and_console_output_become_outputs_and_variables_carry_over()
    {
        var run = await Run("var x = 20;", "display(x);\nConsole.WriteLine(\"hello\");\nx * 2 + 2", "x++;", "var s = new[] { 3, 1, 2 }.OrderBy(v => v).ToList();");
        Assert.Null(run.Failure);
        Assert.Empty(Outputs(run, 1));
        var outputs = Outputs(run, 2);
        // As the kernel formats them: a number as HTML, a string as plain text.
        Assert.Collection(outputs,
            o => Assert.Contains("<pre>20</pre>", Html(Assert.IsType<DisplayElement>(o))),
            o => Assert.Equal("hello\n", Assert.IsType<TextElement>(o).Text),
            o => Assert.Equal(2, Assert.IsType<ReturnValueElement>(o).ExecutionOrder));
        Assert.Contains("<pre>42</pre>", Html(outputs[2]));
        Assert.Empty(Outputs(run, 3)); // a statement ending in ';' shows nothing
        Assert.Equal(21, run.Variables["x"]);
        Assert.Equal([1, 2, 3], (List<int>)run.Variables["s"]!);
    }

    [Fact]
    public async Task The_library_referenced_by_path_is_the_hosts_copy_even_when_not_built()
    {
        var run = await Run(
            "#r \"../lib/ServiceRequests/bin/Release/net8.0/ServiceRequests.dll\"\n#r \"nuget: Microsoft.Data.Analysis, 0.23.1\"\n#r \"nuget: Plotly.NET, 6.0.0\"\nusing ServiceRequests.Metrics;\nusing Microsoft.Data.Analysis;\nServiceRequests.Reports.ReportFormatters.Register();",
            "var frame = new DataFrame(new Int32DataFrameColumn(\"n\", new[] { 1, 2 }));\nvar chart = ServiceRequests.Reports.IssueCharts.ReopenDuplicateRatesBy(ReopenDuplicateRates.By(ServiceRequests.IssueData.Load(\"sample\"), \"council_district\"));",
            "display(chart);\nframe");
        Assert.Null(run.Failure);
        Assert.IsType<DataFrame>(run.Variables["frame"]); // the host's type: the host's formatting applies
        var outputs = Outputs(run, 3);
        Assert.Contains("<table class=\"sr-table\">", (string)Data(outputs[1])["text/html"]);
        Assert.Equal(["application/vnd.plotly.v1+json", "text/html", "text/plain"], Data(outputs[0]).Keys.Order(StringComparer.Ordinal));
        Assert.Contains("plotly.js v2.28.0", (string)Data(outputs[0])["text/html"]); // the notebook's first chart carries plotly.js
        Assert.StartsWith("Plotly chart: Re-opened and duplicate rates by council district", Plain(outputs[0]));
    }

    [Fact]
    public async Task A_compiler_error_names_the_cell_line_and_code()
    {
        var run = await Run("var a = 1;", "var b = a;\nvar c = missingName + 1;", "var d = 2;");
        Assert.Equal(new CellFailure("t", "cell 3", 2, "error CS0103: The name 'missingName' does not exist in the current context"), run.Failure);
        Assert.Equal("t.ipynb, cell 3, line 2: error CS0103: The name 'missingName' does not exist in the current context", run.Failure!.ToString());
        Assert.Equal("CompilationError", Assert.IsType<ErrorElement>(Assert.Single(Outputs(run, 2))).ErrorName);
        Assert.Empty(Outputs(run, 3));
        Assert.Equal(0, run.Notebook.Elements[3].ExecutionOrder);
    }

    [Fact]
    public async Task An_unknown_package_or_version_is_an_error_naming_it()
    {
        var unknown = await Run("#r \"nuget: Newtonsoft.Json, 13.0.3\"\nvar x = 1;");
        Assert.Equal("cell 2", unknown.Failure!.Cell);
        Assert.Equal(1, unknown.Failure.Line);
        Assert.Contains("does not carry package 'Newtonsoft.Json'", unknown.Failure.Message);
        Assert.Contains("Plotly.NET 6.0.0", unknown.Failure.Message);

        var version = await Run("var x = 1;\n#r \"nuget: Plotly.NET, 5.1.0\"");
        Assert.Contains("carries Plotly.NET 6.0.0, not 5.1.0", version.Failure!.Message);
        Assert.Equal(2, version.Failure.Line);
    }

    [Fact]
    public async Task Magic_commands_are_refused_with_the_line()
    {
        var run = await Run("var x = 1;\n#!time\nx");
        Assert.Equal(2, run.Failure!.Line);
        Assert.Contains("'#!time': #! magic commands are not supported", run.Failure.Message);
    }

    [Fact]
    public async Task A_runtime_error_names_the_line_that_threw()
    {
        var run = await Run("var list = new List<int>();\n\nvar first = list[3];");
        Assert.Equal(3, run.Failure!.Line);
        Assert.StartsWith("System.ArgumentOutOfRangeException:", run.Failure.Message);
        Assert.Equal("ArgumentOutOfRangeException", Assert.IsType<ErrorElement>(Assert.Single(Outputs(run, 1))).ErrorName);
    }

    [Fact]
    public async Task Cells_see_the_kernels_default_imports_and_its_display_but_not_system_io()
    {
        // What the real kernel gives a cell: System.Linq etc. and display(); System.IO must be imported (as in the notebooks' library cell).
        var run = await Run("var n = new[] { 1, 2 }.Sum();\ndisplay(n);", "var f = new FileInfo(\"x\");");
        Assert.Equal("cell 3", run.Failure!.Cell);
        Assert.Contains("CS0246", run.Failure.Message);
    }
}
