using System.CommandLine;

namespace ServiceRequests.Benchmarks;

/// <summary>
/// The benchmark program: one subcommand per subject. Each prints a Markdown table with the
/// command, the machine and the figures, ready for <c>docs/benchmarks.md</c>. Run it from a
/// Release build: <c>dotnet run -c Release --project bench/ServiceRequests.Benchmarks -- &lt;subject&gt; ...</c>.
/// </summary>
internal static class BenchCommand
{
    /// <summary>Exit code for a failure the message explains.</summary>
    public const int Failure = 1;

    /// <summary>Exit code for a command line that does not parse.</summary>
    public const int UsageError = 2;

    /// <summary>Builds the root command with every subject.</summary>
    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Performance measurements of the ServiceRequests library (throughput, requests, peak memory), against DuckDB and pandas where a user would pick them.");
        root.Add(LoadBench.Create(output, error));
        root.Add(CompareBench.Create(output, error));
        root.Add(ScaleBench.Create(output, error));
        root.Add(MetricsBench.Create(output, error));
        root.Add(SyncBench.Create(output, error));
        root.Add(ReportBench.Create(output, error));
        root.Add(DistrictsBench.Create(output, error));
        root.Add(ChangesBench.Create(output, error));
        root.Add(new Command(Micro.MicroBenchmarks.Name,
            "BenchmarkDotNet over the library's hot paths (flattening, loading, metric tables); the arguments after it go to BenchmarkDotNet, e.g. --filter '*Load*'."));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (args.Length > 0 && args[0] == Micro.MicroBenchmarks.Name)
        {
            // BenchmarkDotNet parses its own arguments.
            return Micro.MicroBenchmarks.Run(args[1..]);
        }
        var parsed = Build(output, error).Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var e in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {e.Message}");
            }
            return UsageError;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
    }

    /// <summary>Runs a subject; a failure the user can fix (<see cref="ServiceRequestsException"/>: a bad option, a missing tool, bad input) is one line on standard error and exit code 1.</summary>
    public static async Task<int> Guard(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("error: cancelled.");
            return 130;
        }
        catch (ServiceRequestsException e)
        {
            await error.WriteLineAsync($"error: {e.Message.ReplaceLineEndings(" ").Trim()}");
            return Failure;
        }
    }
}
