using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ServiceRequests.Notebooks;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Notebooks;

/// <summary>
/// Every notebook in <c>notebooks/</c> executed three ways, as an analyst would after the README's
/// steps: over the Jupyter protocol by a real Jupyter client (nbconvert/nbclient driving
/// <c>dotnet interactive jupyter</c>, registered in a temporary JUPYTER_PATH), by dotnet-repl, and by
/// the project's own <c>report</c>. Built once for the collection; where the tools are missing the
/// tests skip (<see cref="JupyterFactAttribute"/>) and this does nothing.
/// </summary>
public sealed class RealKernelRuns : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>Runs everything (minutes: each notebook starts a kernel and restores its packages).</summary>
    public RealKernelRuns()
    {
        if (Tools.JupyterMissing is not null)
        {
            return;
        }
        Names = [.. Directory.GetFiles(RepoPaths.Of("notebooks"), "*.ipynb").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];
        Step("dotnet", ["build", "lib/ServiceRequests", "-c", "Release", "-f", "net8.0"], RepoPaths.Root); // the README's step for VS Code
        Step("dotnet", ["tool", "restore"], RepoPaths.Root);
        Step("dotnet", ["interactive", "jupyter", "install", "--path", Directory.CreateDirectory(_folder.File("jupyter/kernels")).FullName], RepoPaths.Root);
        Directory.CreateDirectory(_folder.File("runtime"));
        var runs = Names.SelectMany(name => new[]
        {
            (Client: "jupyter", Name: name, Program: Tools.Jupyter!, Arguments: NbConvert(name + ".ipynb", _folder.File($"jupyter/{name}.ipynb"))),
            (Client: "repl", Name: name, Program: "dotnet", Arguments: new[]
            {
                "tool", "run", "dotnet-repl", "--", "--run", name + ".ipynb", "--exit-after-run", "--output-path", _folder.File($"repl/{name}.ipynb"),
            }),
        }).ToList();
        Directory.CreateDirectory(_folder.File("repl"));
        var logs = new ConcurrentBag<string>();
        // One client's notebooks one after another, the two clients side by side: two Jupyter kernels
        // starting at once both take the first port of the kernelspec's --http-port-range and one fails.
        Parallel.ForEach(runs.GroupBy(run => run.Client), new ParallelOptions { MaxDegreeOfParallelism = 2 }, client =>
        {
            foreach (var run in client)
            {
                var (code, output) = Tools.Run(run.Program, run.Arguments, RepoPaths.Of("notebooks"), Jupyter, TimeSpan.FromMinutes(15));
                logs.Add($"{run.Client} {run.Name}: exit {code}\n{output}");
            }
        });
        Log = string.Join("\n", logs);
        NotebookReports.RunAsync(RepoPaths.Of("notebooks"), _folder.File("report"), [], TextWriter.Null, TextWriter.Null, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>The notebooks' names.</summary>
    public IReadOnlyList<string> Names { get; } = [];

    /// <summary>What the clients printed, for failure messages.</summary>
    public string Log { get; private set; } = "";

    /// <summary>The executed notebook of a client: <c>jupyter</c>, <c>repl</c> or <c>report</c>.</summary>
    public JsonObject Executed(string client, string name)
    {
        var path = _folder.File($"{client}/{name}.ipynb");
        Assert.True(File.Exists(path), $"{client} wrote no {name}.ipynb\n{Log}");
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    /// <summary>Executes another notebook with the same Jupyter client and kernel (from the notebook's folder, errors allowed) and returns the executed notebook.</summary>
    public JsonObject Execute(string notebook)
    {
        var output = Path.ChangeExtension(notebook, ".out.ipynb");
        var (code, log) = Tools.Run(Tools.Jupyter!, NbConvert(Path.GetFileName(notebook), output), Path.GetDirectoryName(notebook)!, Jupyter, TimeSpan.FromMinutes(10));
        Assert.True(File.Exists(output), $"nbconvert exited {code}:\n{log}");
        return JsonNode.Parse(File.ReadAllText(output))!.AsObject();
    }

    /// <inheritdoc/>
    public void Dispose() => _folder.Dispose();

    /// <summary>The kernelspec registered in a folder of the test's own, not the user's.</summary>
    private Dictionary<string, string> Jupyter => new()
    {
        ["JUPYTER_PATH"] = _folder.File("jupyter"),
        ["JUPYTER_RUNTIME_DIR"] = _folder.File("runtime"),
    };

    private static string[] NbConvert(string notebook, string output) =>
    [
        "-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=.net-csharp",
        "--ExecutePreprocessor.allow_errors=True", "--ExecutePreprocessor.timeout=600", "--output", output, notebook,
    ];

    private void Step(string program, string[] arguments, string folder)
    {
        var (code, output) = Tools.Run(program, arguments, folder, null, TimeSpan.FromMinutes(10));
        Log += $"{program} {string.Join(' ', arguments)}: exit {code}\n{output}\n";
        if (code != 0)
        {
            throw new InvalidOperationException($"`{program} {string.Join(' ', arguments)}` failed ({code}):\n{output}");
        }
    }
}

/// <summary>The tests over <see cref="RealKernelRuns"/>.</summary>
[CollectionDefinition(Name)]
public sealed class RealKernelCollection : ICollectionFixture<RealKernelRuns>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Real kernel";
}
