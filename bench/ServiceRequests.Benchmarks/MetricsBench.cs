using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Microsoft.Data.Analysis;
using ServiceRequests.Metrics;
using ServiceRequests.Portal;
using ServiceRequests.Sample;
using ServiceRequests.Socrata;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Benchmarks;

/// <summary>
/// <c>metrics</c>: the whole metric suite (every <see cref="IssueMetrics"/> table) on N
/// generated issues, and the same tables computed by the pandas reference script
/// (tests/reference/metrics_reference.py) on the same file, side by side. Loading is not timed;
/// both sides report the resident memory after loading and the peak while computing.
/// </summary>
internal static class MetricsBench
{
    private const string Script = "tests/reference/metrics_reference.py";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var issues = new Option<int>("--issues") { Description = "Number of generated issues.", DefaultValueFactory = _ => 1_000_000 };
        var runs = new Option<int>("--runs") { Description = "Timed runs of the C# suite (the median is compared).", DefaultValueFactory = _ => 3 };
        var duration = new Option<DurationMode>("--duration") { Description = "Elapsed (the library's default) or WallClock (the original's).", DefaultValueFactory = _ => DurationMode.Elapsed };
        var python = new Option<string>("--python") { Description = "Python with pandas (default: the first python3 on PATH that imports pandas).", DefaultValueFactory = _ => Tools.PythonWithPandas ?? "python3" };
        var command = new Command("metrics", "Time the metric suite in C# and in pandas on the same generated issues; print a Markdown table.")
        {
            issues, runs, duration, python,
        };
        command.SetAction((parse, cancel) => BenchCommand.Guard(error, async () =>
        {
            var count = parse.GetValue(issues);
            var repeat = parse.GetValue(runs);
            if (count < 1 || repeat < 1)
            {
                throw new ServiceRequestsException($"--issues and --runs must be 1 or more (got {count} and {repeat}).");
            }
            var mode = parse.GetValue(duration);
            var script = RepositoryFiles.FindUp(Script);
            var slaPath = RepositoryFiles.FindUp(SlaTable.DefaultRelativePath);
            var folder = Directory.CreateTempSubdirectory("bench-metrics-");
            try
            {
                var input = Path.Combine(folder.FullName, "issues.json");
                await error.WriteLineAsync($"Generating {count:N0} issues into {input} ...");
                PortalJson.WriteFile(SampleGenerator.Generate(new SampleOptions { Issues = count }).Select(i => i.ToPortalRow()), input);
                var size = new FileInfo(input).Length;
                var (csharp, first) = MeasureCSharp(input, SlaTable.Load(slaPath), new MetricOptions { Duration = mode }, repeat);
                cancel.ThrowIfCancellationRequested();
                await error.WriteLineAsync("Running the pandas reference ...");
                var pandas = await MeasurePandas(parse.GetValue(python)!, script, input, slaPath, mode, cancel);
                Report(output, count, size, repeat, mode, csharp, first, pandas);
            }
            finally
            {
                folder.Delete(recursive: true);
            }
            return 0;
        }));
        return command;
    }

    /// <summary>Figures of one side: compute seconds, resident bytes after loading, peak resident bytes while computing.</summary>
    private readonly record struct Figures(double Seconds, long AfterLoad, long Peak);

    /// <summary>Loads the file once, then times the suite <paramref name="runs"/> times; returns the median run and the first (cold) one.</summary>
    private static (Figures Median, double FirstSeconds) MeasureCSharp(string input, SlaTable sla, MetricOptions options, int runs)
    {
        var frame = IssueData.LoadFile(input);
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        ProcessMemory.ResetPeak();
        var afterLoad = ProcessMemory.PeakBytes();
        var seconds = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            var cells = Suite(frame, sla, options);
            seconds.Add(watch.Elapsed.TotalSeconds);
            if (cells == 0)
            {
                throw new InvalidOperationException("The metric suite produced empty tables.");
            }
        }
        var peak = ProcessMemory.PeakBytes();
        var first = seconds[0];
        seconds.Sort();
        return (new Figures(seconds[seconds.Count / 2], afterLoad, peak), first);
    }

    /// <summary>Every table of the suite, as the pandas script computes them; returns the number of cells.</summary>
    internal static long Suite(DataFrame frame, SlaTable sla, MetricOptions options)
    {
        var metrics = new IssueMetrics(frame, sla, options);
        var week = metrics.LastCompleteWeek ?? throw new ServiceRequestsException("The data has no issues.");
        DataFrame[] tables =
        [
            metrics.Stats(week, week.AddDays(6)),
            metrics.OpenedByWeek(),
            metrics.OpenedByMonth(),
            metrics.TimeToClose(),
            metrics.TimeToClose(by: MetricGrouping.Department),
            metrics.SlaCompliance(),
            metrics.SlaCompliance(by: MetricGrouping.Department),
            metrics.Reopened(),
            metrics.Duplicates(),
            metrics.LastWeeks(),
            metrics.RollingSeries(),
        ];
        return tables.Sum(t => t.Rows.Count * t.Columns.Count);
    }

    private static async Task<Figures> MeasurePandas(string python, string script, string input, string sla, DurationMode mode, CancellationToken cancel)
    {
        var (code, stdout, errors) = await PythonProcess.RunAsync(python,
            [script, input, "--sla", sla, "--duration", mode == DurationMode.Elapsed ? "elapsed" : "wallclock"], cancel);
        if (code != 0)
        {
            var hint = errors.Contains("No module named 'pandas'", StringComparison.Ordinal)
                ? "pandas is not installed for this Python: apt-get install -y python3-pandas (Debian), or pass --python."
                : errors.Trim().Split('\n')[^1];
            throw new ServiceRequestsException($"The pandas reference failed (exit {code}): {hint}");
        }
        var line = stdout.Trim().Split('\n')[^1];
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        return new Figures(root.GetProperty("compute_seconds").GetDouble(), root.GetProperty("rss_after_load_bytes").GetInt64(), root.GetProperty("peak_rss_bytes").GetInt64());
    }

    private static void Report(TextWriter output, int count, long size, int runs, DurationMode mode, Figures csharp, double first, Figures pandas)
    {
        static string MiB(long bytes) => (bytes / (1024.0 * 1024)).ToString("N0", CultureInfo.InvariantCulture);
        static string S(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);
        var w = output;
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Command: `dotnet run -c Release --project bench/ServiceRequests.Benchmarks -- metrics --issues {count} --runs {runs} --duration {mode}`  "));
        w.WriteLine($"Machine: {MachineInfo.Describe()}  ");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Input: {count:N0} generated issues, portal JSON of {size / (1024.0 * 1024):N0} MiB, loaded once by each side (not timed). The suite: the stats week, opened by week and month, time to close and SLA per type and per department, re-opened and duplicate rankings, the last weeks and the rolling series."));
        w.WriteLine();
        w.WriteLine("| implementation | compute (s) | resident after load (MiB) | peak while computing (MiB) |");
        w.WriteLine("|---|---:|---:|---:|");
        w.WriteLine($"| C# IssueMetrics, median of {runs} run(s) | {S(csharp.Seconds)} | {MiB(csharp.AfterLoad)} | {MiB(csharp.Peak)} |");
        w.WriteLine($"| C# IssueMetrics, first run (JIT included) | {S(first)} | | |");
        w.WriteLine($"| pandas (metrics_reference.py) | {S(pandas.Seconds)} | {MiB(pandas.AfterLoad)} | {MiB(pandas.Peak)} |");
        w.WriteLine();
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"C# is {pandas.Seconds / csharp.Seconds:0.0}× faster than pandas (median run), {pandas.Seconds / first:0.0}× on its first run; peak memory C# / pandas = {(double)csharp.Peak / pandas.Peak:0.00}."));
    }
}
