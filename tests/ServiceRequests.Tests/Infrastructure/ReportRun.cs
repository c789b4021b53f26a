using System.Text.Json.Nodes;
using ServiceRequests.Cli;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>
/// One <c>report</c> run over the repository's notebooks on the bundled sample, shared by the
/// tests of the notebook collection (running them costs seconds).
/// </summary>
public sealed class ReportRun : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>Runs <c>report --notebooks notebooks --out {temp}</c>.</summary>
    public ReportRun()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        ExitCode = CommandLine.RunAsync(["report", "--notebooks", RepoPaths.Of("notebooks"), "--out", _folder.Path], output, error).GetAwaiter().GetResult();
        Output = output.ToString();
        Error = error.ToString();
    }

    /// <summary>The command's exit code.</summary>
    public int ExitCode { get; }

    /// <summary>What it printed on standard output.</summary>
    public string Output { get; }

    /// <summary>What it printed on standard error.</summary>
    public string Error { get; }

    /// <summary>The output folder.</summary>
    public string Folder => _folder.Path;

    /// <summary>The HTML report of a notebook.</summary>
    public string Html(string name) => File.ReadAllText(_folder.File(name + ".html"));

    /// <summary>The executed notebook.</summary>
    public JsonObject Notebook(string name) => JsonNode.Parse(File.ReadAllBytes(_folder.File(name + ".ipynb")))!.AsObject();

    /// <inheritdoc/>
    public void Dispose() => _folder.Dispose();
}

/// <summary>The tests that run notebooks: one shared report run, and no two runs at once (a run redirects the console).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NotebookCollection : ICollectionFixture<ReportRun>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Notebooks";
}
