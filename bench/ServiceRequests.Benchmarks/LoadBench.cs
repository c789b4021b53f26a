using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ServiceRequests.Portal;
using ServiceRequests.Sample;
using ServiceRequests.Socrata;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Benchmarks;

/// <summary>
/// <c>load</c>: loads N rows of portal-shaped Socrata JSON into a typed DataFrame with the
/// library, then has pandas 1.5.3 load the same file (<c>pd.read_json</c>, and <c>json.load</c> +
/// <c>pd.json_normalize</c> + typing, each in its own Python process), and prints time, rows/s
/// and peak resident memory of each as a Markdown table.
/// </summary>
internal static class LoadBench
{
    // Each pandas way of loading the file, typed as the library types it (timestamps, numbers, point).
    // Time is measured inside Python, after the imports; memory is the process's peak RSS.
    private const string PandasScript = """
        import json, resource, sys, time
        import pandas as pd
        path, way = sys.argv[1], sys.argv[2]
        start = time.perf_counter()
        if way == "read_json":
            df = pd.read_json(path, orient="records", dtype=False, convert_dates=False)
        else:
            with open(path, encoding="utf-8") as f:
                df = pd.json_normalize(json.load(f))
        for c in ["created_at", "acknowledged_at", "closed_at", "reopened_at", "updated_at"]:
            df[c] = pd.to_datetime(df[c], format="%Y-%m-%dT%H:%M:%S.%f")
        for c in ["days_to_close", "priority_code", "canonical_issue_id", "council_district"]:
            df[c] = pd.to_numeric(df[c])
        if way == "read_json":
            points = df.pop("location")
            df["longitude"] = [p["coordinates"][0] if isinstance(p, dict) else None for p in points]
            df["latitude"] = [p["coordinates"][1] if isinstance(p, dict) else None for p in points]
        else:
            coords = df.pop("location.coordinates")
            df.pop("location.type")
            df["longitude"] = [p[0] if isinstance(p, list) else None for p in coords]
            df["latitude"] = [p[1] if isinstance(p, list) else None for p in coords]
        seconds = time.perf_counter() - start
        print(json.dumps({"rows": len(df), "seconds": seconds, "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "pandas": pd.__version__}))
        """;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var rows = new Option<int>("--rows") { Description = "Rows of portal JSON to generate and load.", DefaultValueFactory = _ => 1_000_000 };
        var keep = new Option<string?>("--file")
        {
            Description = "Where to write the generated JSON (default: a temporary file, deleted afterwards). An existing file with the right row count is reused.",
        };
        var skipPandas = new Option<bool>("--no-pandas") { Description = "Measure only the library (no Python)." };
        var python = new Option<string>("--python")
        {
            Description = "Python with pandas (default: the first python3 on PATH that imports pandas).",
            DefaultValueFactory = _ => Tools.PythonWithPandas ?? "python3",
        };
        var command = new Command("load", "Load N rows of portal JSON into a DataFrame: rows/s and peak memory, against pandas 1.5.3 on the same file.")
        {
            rows, keep, skipPandas, python,
        };
        command.SetAction((parse, cancel) => BenchCommand.Guard(error, async () =>
        {
            var count = parse.GetValue(rows);
            if (count < 1)
            {
                throw new ServiceRequestsException($"--rows must be 1 or more (got {count}).");
            }
            var path = parse.GetValue(keep);
            var temporary = path is null;
            path ??= Path.Combine(Path.GetTempPath(), $"sr-bench-load-{Environment.ProcessId}.json");
            try
            {
                await RunAsync(count, path, parse.GetValue(skipPandas) ? null : parse.GetValue(python), output, error, cancel);
            }
            finally
            {
                if (temporary && File.Exists(path))
                {
                    File.Delete(path);
                }
            }
            return 0;
        }));
        return command;
    }

    private static async Task RunAsync(int count, string path, string? python, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        if (!File.Exists(path) || !ExistingHasRows(path, count))
        {
            await error.WriteLineAsync($"Generating {count:N0} rows of portal JSON in {path} ...");
            PortalJson.WriteFile(SampleGenerator.Generate(new SampleOptions { Issues = count }).Select(i => i.ToPortalRow()), path);
        }
        var bytes = new FileInfo(path).Length;
        cancel.ThrowIfCancellationRequested();

        var results = new List<(string Tool, int Rows, double Seconds, long PeakBytes)>();
        await error.WriteLineAsync("Loading with the library ...");
        ProcessMemory.ResetPeak();
        var watch = Stopwatch.StartNew();
        var frame = IssueData.LoadFile(path);
        watch.Stop();
        var peak = ProcessMemory.PeakBytes();
        results.Add(("ServiceRequests `IssueData.LoadFile`", (int)frame.Rows.Count, watch.Elapsed.TotalSeconds, peak));
        GC.KeepAlive(frame);
        frame = null;

        string? pandasVersion = null;
        if (python is not null)
        {
            foreach (var way in new[] { "read_json", "json_normalize" })
            {
                cancel.ThrowIfCancellationRequested();
                await error.WriteLineAsync($"Loading with pandas ({way}) ...");
                var (rowsRead, seconds, peakBytes, version) = await RunPandasAsync(python, path, way, cancel);
                pandasVersion = version;
                var tool = way == "read_json"
                    ? "pandas `pd.read_json` + typing"
                    : "pandas `json.load` + `pd.json_normalize` + typing";
                results.Add((tool, rowsRead, seconds, peakBytes));
            }
        }

        var inv = CultureInfo.InvariantCulture;
        await output.WriteLineAsync(string.Create(inv, $"Load {count:N0} portal rows ({bytes / 1048576.0:F0} MiB of JSON) into a typed DataFrame"));
        await output.WriteLineAsync();
        await output.WriteLineAsync($"- command: `dotnet run -c Release --project bench/ServiceRequests.Benchmarks -- load --rows {count}`");
        await output.WriteLineAsync($"- machine: {MachineInfo.Describe()}");
        if (pandasVersion is not null)
        {
            await output.WriteLineAsync($"- pandas {pandasVersion} ({python})");
        }
        await output.WriteLineAsync();
        await output.WriteLineAsync("| tool | rows | time (s) | rows/s | peak RSS (MiB) |");
        await output.WriteLineAsync("|---|---:|---:|---:|---:|");
        foreach (var (tool, rowsRead, seconds, peakBytes) in results)
        {
            await output.WriteLineAsync(string.Create(inv,
                $"| {tool} | {rowsRead:N0} | {seconds:F2} | {rowsRead / seconds:N0} | {peakBytes / 1048576.0:N0} |"));
        }
        if (results.Count > 1)
        {
            var ours = results[0];
            var best = results.Skip(1).MinBy(r => r.Seconds);
            await output.WriteLineAsync();
            await output.WriteLineAsync(string.Create(inv,
                $"Library vs fastest pandas: {best.Seconds / ours.Seconds:F1}× faster, {(double)ours.PeakBytes / best.PeakBytes:F2}× the peak memory."));
        }
    }

    internal static bool ExistingHasRows(string path, int count)
    {
        using var file = File.OpenRead(path);
        var rows = 0;
        var reader = new StreamReader(file);
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('{'))
            {
                rows++;
            }
        }
        return rows == count;
    }

    private static async Task<(int Rows, double Seconds, long PeakBytes, string Version)> RunPandasAsync(string python, string path, string way, CancellationToken cancel)
    {
        var (code, stdout, stderr) = await PythonProcess.RunAsync(python, ["-c", PandasScript, path, way], cancel);
        if (code != 0)
        {
            var message = stderr.Trim();
            throw new ServiceRequestsException($"pandas ({way}) failed with exit code {code}: {message[Math.Max(0, message.Length - 400)..]}");
        }
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        return (root.GetProperty("rows").GetInt32(), root.GetProperty("seconds").GetDouble(),
            root.GetProperty("peak_kib").GetInt64() * 1024, root.GetProperty("pandas").GetString() ?? "?");
    }
}
