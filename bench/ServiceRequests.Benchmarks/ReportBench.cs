using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ServiceRequests.Notebooks;

namespace ServiceRequests.Benchmarks;

/// <summary>
/// <c>report</c>: the whole <c>report</c> job in this process (Roslyn warm-up included, as a
/// scheduled run pays it), with wall time, peak resident memory (Linux VmHWM, from process start)
/// and where the time goes: per notebook, the kernel's time per cell.
/// </summary>
internal static class ReportBench
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var notebooks = new Option<string>("--notebooks") { Description = "Folder of notebooks to run.", DefaultValueFactory = _ => "notebooks" };
        var command = new Command("report", "Time the report command over the notebooks on the bundled sample: wall time, peak memory, compile vs run per notebook.")
        {
            notebooks,
        };
        command.SetAction((parse, cancel) => BenchCommand.Guard(error, async () =>
        {
            var folder = Path.Combine(Path.GetTempPath(), $"sr-bench-report-{Environment.ProcessId}");
            try
            {
                var watch = Stopwatch.StartNew();
                var runs = await NotebookReports.RunAsync(parse.GetValue(notebooks)!, folder, [], TextWriter.Null, error, new Http.RetryOptions().PrintingTo(error), cancel);
                var wall = watch.Elapsed;
                var peak = ProcessMemory.PeakBytes();
                Print(output, runs, wall, peak);
                return runs.All(r => r.Failure is null) ? 0 : BenchCommand.Failure;
            }
            finally
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
        }));
        return command;
    }

    private static void Print(TextWriter output, IReadOnlyList<NotebookRun> runs, TimeSpan wall, long peakBytes)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine("Command: `dotnet bench/ServiceRequests.Benchmarks/bin/Release/net10.0/ServiceRequests.Benchmarks.dll report`");
        output.WriteLine($"Machine: {MachineInfo.Describe()}");
        output.WriteLine();
        output.WriteLine("| notebook | code cells | slowest cell (s) | notebook total (s) |");
        output.WriteLine("|---|---:|---:|---:|");
        foreach (var run in runs)
        {
            var slowest = run.Cells.MaxBy(t => t.Elapsed);
            output.WriteLine(string.Create(c,
                $"| {run.Name}{(run.Failure is null ? "" : " (FAILED)")} | {run.Cells.Count} | {slowest?.Elapsed.TotalSeconds ?? 0:F2} ({slowest?.Cell}) | {run.Elapsed.TotalSeconds:F2} |"));
        }
        var first = runs.Count > 0 && runs[0].Cells.Count > 0 ? runs[0].Cells[0] : null;
        output.WriteLine();
        output.WriteLine(string.Create(c, $"Wall time for all {runs.Count} notebooks, reports written: {wall.TotalSeconds:F2} s (first cell, kernel warm-up included: {first?.Elapsed.TotalSeconds ?? 0:F2} s)."));
        output.WriteLine(string.Create(c, $"Peak resident memory (VmHWM, whole process): {peakBytes / (1024.0 * 1024):F0} MiB."));
    }
}
