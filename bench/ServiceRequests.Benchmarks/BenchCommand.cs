using System.CommandLine;

namespace ServiceRequests.Cli.Bench;

/// <summary>
/// <c>bench</c>: performance measurements, one subcommand per subject. Each prints a Markdown
/// table with the command, the machine and the figures, ready for <c>docs/benchmarks.md</c>.
/// Run them from a Release build: <c>dotnet run -c Release --project lib/ServiceRequests.Cli -- bench ...</c>.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("bench", "Measure performance (throughput, requests, peak memory), against the pandas original where one exists.");
        // Each subject adds its subcommand here.
        command.Add(LoadBench.Create(output, error));
        command.Add(MetricsBench.Create(output, error));
        command.Add(SyncBench.Create(output, error));
        command.Add(ReportBench.Create(output, error));
        return command;
    }
}
