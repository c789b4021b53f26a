using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DuckDB.NET.Data;
using Microsoft.Data.Analysis;
using ServiceRequests.Metrics;
using ServiceRequests.Portal;
using ServiceRequests.Sample;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Benchmarks;

/// <summary>
/// <c>compare</c>: in one run, on the same generated file (portal JSON, and its Parquet copy),
/// the time from the file to the weekly table (issues opened per request type per Sunday–Saturday
/// week) of this library and of the peers a user would pick instead: DuckDB (through DuckDB.NET,
/// SQL over <c>read_json</c> / <c>read_parquet</c>), pandas as an expert writes it (<c>json.load</c>
/// + <c>pd.DataFrame(records)</c> + vectorised week and <c>groupby</c>) and pandas as the original
/// notebook does it (<c>pd.json_normalize</c>, inferred timestamps, <c>to_period</c>, <c>crosstab</c>).
/// Every peer's counts per type per week are checked equal to the library's; the report gives
/// min and median of the runs, peak resident memory, and each row's ratio to the fastest peer
/// reading the same format.
/// </summary>
internal static class CompareBench
{
    // One pandas peer, run `runs` times in one process after the imports; prints its table and timings as JSON.
    private const string PandasScript = """
        import json, resource, sys, time
        import pandas as pd
        path, way, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            with open(path, encoding="utf-8") as f:
                records = json.load(f)
            if way == "expert":
                df = pd.DataFrame(records)
                del records
                created = pd.to_datetime(df["created_at"], format="%Y-%m-%dT%H:%M:%S.%f")
                week = created.dt.normalize() - pd.to_timedelta((created.dt.dayofweek + 1) % 7, unit="D")
                t = df["request_type_title"]
                t = t.where(t.notna() & (t.fillna("").str.strip() != ""), "(no request type)")
                counts = pd.DataFrame({"t": t.values, "w": week.values}).groupby(["t", "w"], sort=False).size()
            else:
                df = pd.json_normalize(records)
                del records
                df["created_at"] = pd.to_datetime(df["created_at"])
                df["request_type_title"] = df["request_type_title"].fillna("(no request type)")
                df["week"] = df["created_at"].dt.to_period("W-SAT").dt.start_time
                table = pd.crosstab(df["request_type_title"], df["week"])
                counts = table.stack()
                counts = counts[counts > 0]
            times.append(time.perf_counter() - start)
        cells = [[t, w.strftime("%Y-%m-%d"), int(n)] for (t, w), n in counts.items()]
        print(json.dumps({"seconds": times, "peak_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "pandas": pd.__version__, "cells": cells}))
        """;

    private const string DuckDbSql = """
        SELECT coalesce(nullif(trim(request_type_title), ''), '(no request type)') AS type,
               strftime(CAST(created_at AS DATE) - CAST(dayofweek(created_at) AS INTEGER), '%Y-%m-%d') AS week,
               count(*) AS opened
        FROM {0}
        WHERE created_at IS NOT NULL
        GROUP BY ALL
        """;

    /// <summary>One measured peer: what it reads, its run times, its peak resident memory, and its table.</summary>
    private sealed record Result(string Name, string Format, bool Ours, List<double> Seconds, long PeakBytes, SortedSet<(string Type, string Week, long Count)> Cells, string? LoadNote = null)
    {
        public double Min => Seconds.Min();

        public double Median => Seconds.Order().ElementAt(Seconds.Count / 2);
    }

    public static Command Create(TextWriter output, TextWriter error)
    {
        var rows = new Option<int>("--rows") { Description = "Rows of portal JSON to generate.", DefaultValueFactory = _ => 1_000_000 };
        var runs = new Option<int>("--runs") { Description = "Runs of each peer (min and median are reported).", DefaultValueFactory = _ => 3 };
        var keep = new Option<string?>("--file") { Description = "Where to write the generated JSON (the Parquet copy goes beside it); an existing file with the right row count is reused. Default: a temporary file, deleted afterwards." };
        var noPandas = new Option<bool>("--no-pandas") { Description = "Leave out the pandas peers (no Python)." };
        var python = new Option<string>("--python")
        {
            Description = "Python with pandas (default: the first python3 on PATH that imports pandas).",
            DefaultValueFactory = _ => Tools.PythonWithPandas ?? "python3",
        };
        var command = new Command("compare", "JSON and Parquet to the weekly table: the library against DuckDB and pandas (expert and original) in one run, tables checked equal; print a Markdown table.")
        {
            rows, runs, keep, noPandas, python,
        };
        command.SetAction((parse, cancel) => BenchCommand.Guard(error, async () =>
        {
            var count = parse.GetValue(rows);
            var repeat = parse.GetValue(runs);
            if (count < 1 || repeat < 1)
            {
                throw new ServiceRequestsException($"--rows and --runs must be 1 or more (got {count} and {repeat}).");
            }
            var json = parse.GetValue(keep);
            var temporary = json is null;
            json ??= Path.Combine(Path.GetTempPath(), $"sr-bench-compare-{Environment.ProcessId}.json");
            var parquet = Path.ChangeExtension(json, ".parquet");
            try
            {
                await RunAsync(count, repeat, json, parquet, parse.GetValue(noPandas) ? null : parse.GetValue(python), output, error, cancel);
            }
            finally
            {
                if (temporary)
                {
                    File.Delete(json);
                    File.Delete(parquet);
                }
            }
            return 0;
        }));
        return command;
    }

    private static async Task RunAsync(int count, int runs, string json, string parquet, string? python, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        if (!File.Exists(json) || !LoadBench.ExistingHasRows(json, count))
        {
            await error.WriteLineAsync($"Generating {count:N0} rows of portal JSON in {json} ...");
            PortalJson.WriteFile(SampleGenerator.Generate(new SampleOptions { Issues = count }).Select(i => i.ToPortalRow()), json);
            File.Delete(parquet);
        }
        if (!File.Exists(parquet))
        {
            await error.WriteLineAsync($"Writing its Parquet copy {parquet} ...");
            var frame = IssueData.LoadFile(json);
            await using var file = File.Create(parquet);
            PortalParquet.Write(frame, file);
        }
        var sla = SlaTable.Load(RepositoryFiles.FindUp(SlaTable.DefaultRelativePath));

        var results = new List<Result>();
        const string Narrow = "ServiceRequests: `LoadAsync` of `IssueMetrics.InputColumns` + `OpenedByWeek`";
        const string Whole = "ServiceRequests: `IssueData.LoadFile` (every column) + `OpenedByWeek`";
        foreach (var (name, path, format, columns) in new[] { (Narrow, json, "JSON", IssueMetrics.InputColumns), (Whole, json, "JSON", null), (Narrow, parquet, "Parquet", IssueMetrics.InputColumns), (Whole, parquet, "Parquet", null) })
        {
            await error.WriteLineAsync($"Library, {format}, {(columns is null ? "every column" : "the metrics' columns")} ...");
            results.Add(Library(name, path, format, columns, sla, runs, cancel));
            cancel.ThrowIfCancellationRequested();
        }
        foreach (var (path, format, source) in new[] { (json, "JSON", $"read_json('{Quote(json)}', format = 'array', columns = {{request_type_title: 'VARCHAR', created_at: 'TIMESTAMP'}})"), (parquet, "Parquet", $"read_parquet('{Quote(parquet)}')") })
        {
            await error.WriteLineAsync($"DuckDB, {format} ...");
            results.Add(DuckDb($"DuckDB {DuckDbVersion()}: SQL over `{(format == "JSON" ? "read_json" : "read_parquet")}`", format, DuckDbSql.Replace("{0}", source, StringComparison.Ordinal), runs));
            cancel.ThrowIfCancellationRequested();
        }
        string? pandasVersion = null;
        if (python is not null)
        {
            foreach (var (way, name) in new[] { ("expert", "pandas expert: `json.load` + `DataFrame(records)` + vectorised"), ("original", "pandas as the original notebook: `json_normalize` + `to_period` + `crosstab`") })
            {
                await error.WriteLineAsync($"pandas ({way}) ...");
                var (result, version) = await PandasAsync(python, json, way, name, runs, cancel);
                results.Add(result);
                pandasVersion = version;
            }
        }

        var reference = results[0];
        foreach (var other in results.Skip(1))
        {
            if (!other.Cells.SetEquals(reference.Cells))
            {
                var missing = reference.Cells.Except(other.Cells).Take(3).Select(c => $"{c.Type} {c.Week}: {c.Count}");
                var extra = other.Cells.Except(reference.Cells).Take(3).Select(c => $"{c.Type} {c.Week}: {c.Count}");
                throw new ServiceRequestsException(
                    $"{other.Name} ({other.Format}) gives another weekly table than the library: {other.Cells.Count} cells against {reference.Cells.Count}; the library's [{string.Join("; ", missing)}], the peer's [{string.Join("; ", extra)}].");
            }
        }
        Report(output, count, runs, json, python, pandasVersion, results);
    }

    private static string Quote(string path) => path.Replace("'", "''", StringComparison.Ordinal);

    private static Result Library(string name, string path, string format, IReadOnlyList<string>? columns, SlaTable sla, int runs, CancellationToken cancel)
    {
        var seconds = new List<double>();
        var loads = new List<double>();
        DataFrame? table = null;
        ProcessMemory.ResetPeak();
        for (var run = 0; run < runs; run++)
        {
            table = null;
            GC.Collect();
            var watch = Stopwatch.StartNew();
            var frame = IssueData.LoadAsync(path, new IssueLoadOptions { Columns = columns }, cancel).GetAwaiter().GetResult();
            loads.Add(watch.Elapsed.TotalSeconds);
            table = new IssueMetrics(frame, sla).OpenedByWeek();
            seconds.Add(watch.Elapsed.TotalSeconds);
        }
        var peak = ProcessMemory.PeakBytes();
        var cells = new SortedSet<(string, string, long)>();
        var types = (StringDataFrameColumn)table!["request_type_title"];
        foreach (var column in table.Columns.Skip(1).Where(c => c.Name != "total"))
        {
            for (long r = 0; r < table.Rows.Count; r++)
            {
                if (types[r] != IssueMetrics.AllTypes && column[r] is int n && n > 0)
                {
                    cells.Add((types[r], column.Name, n));
                }
            }
        }
        loads.Sort();
        return new Result(name, format, Ours: true, seconds, peak, cells,
            string.Create(CultureInfo.InvariantCulture, $"load {loads[0]:F2} s of it"));
    }

    private static string DuckDbVersion()
    {
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = "SELECT version()";
        return (string)command.ExecuteScalar()!;
    }

    private static Result DuckDb(string name, string format, string sql, int runs)
    {
        var seconds = new List<double>();
        var cells = new SortedSet<(string, string, long)>();
        ProcessMemory.ResetPeak();
        for (var run = 0; run < runs; run++)
        {
            cells.Clear();
            var watch = Stopwatch.StartNew();
            using var duck = new DuckDBConnection("DataSource=:memory:");
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                cells.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }
            seconds.Add(watch.Elapsed.TotalSeconds);
        }
        return new Result(name, format, Ours: false, seconds, ProcessMemory.PeakBytes(), cells);
    }

    private static async Task<(Result Result, string Version)> PandasAsync(string python, string json, string way, string name, int runs, CancellationToken cancel)
    {
        var (code, stdout, stderr) = await PythonProcess.RunAsync(python, ["-c", PandasScript, json, way, runs.ToString(CultureInfo.InvariantCulture)], cancel);
        if (code != 0)
        {
            var message = stderr.Trim();
            throw new ServiceRequestsException($"pandas ({way}) failed with exit code {code}: {message[Math.Max(0, message.Length - 400)..].ReplaceLineEndings(" ")}");
        }
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;
        var cells = new SortedSet<(string, string, long)>();
        foreach (var cell in root.GetProperty("cells").EnumerateArray())
        {
            cells.Add((cell[0].GetString()!, cell[1].GetString()!, cell[2].GetInt64()));
        }
        var seconds = root.GetProperty("seconds").EnumerateArray().Select(s => s.GetDouble()).ToList();
        return (new Result(name, "JSON", Ours: false, seconds, root.GetProperty("peak_kib").GetInt64() * 1024, cells),
            root.GetProperty("pandas").GetString() ?? "?");
    }

    private static void Report(TextWriter w, int count, int runs, string json, string? python, string? pandasVersion, List<Result> results)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(inv, $"File to weekly table (issues opened per request type per Sunday–Saturday week), {count:N0} portal rows ({new FileInfo(json).Length / 1048576.0:F0} MiB of JSON; its Parquet copy {new FileInfo(Path.ChangeExtension(json, ".parquet")).Length / 1048576.0:F0} MiB)"));
        w.WriteLine();
        w.WriteLine($"- command: `dotnet run -c Release --project bench/ServiceRequests.Benchmarks -- compare --rows {count} --runs {runs}`");
        w.WriteLine($"- machine: {MachineInfo.Describe()}");
        if (pandasVersion is not null)
        {
            w.WriteLine($"- pandas {pandasVersion} ({python}); time measured inside Python after the imports");
        }
        w.WriteLine(string.Create(inv, $"- every peer's table checked equal to the library's ({results[0].Cells.Count:N0} type-week cells)"));
        w.WriteLine();
        w.WriteLine("| peer | reads | min (s) | median (s) | peak RSS (MiB) | × fastest peer (min) |");
        w.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var fastest = results.Where(p => !p.Ours && p.Format == r.Format).MinBy(p => p.Min);
            var note = r.LoadNote is null ? "" : $" ({r.LoadNote})";
            var ratio = fastest is null ? "" : (r.Min / fastest.Min).ToString("F2", inv);
            w.WriteLine(string.Create(inv,
                $"| {r.Name}{note} | {r.Format} | {r.Min:F3} | {r.Median:F3} | {r.PeakBytes / 1048576.0:N0} | {ratio} |"));
        }
        w.WriteLine();
        foreach (var ours in results.Where(r => r.Ours))
        {
            var peers = results.Where(p => !p.Ours && p.Format == ours.Format).ToList();
            if (peers.Count == 0)
            {
                continue;
            }
            var best = peers.MinBy(p => p.Min)!;
            var verdict = ours.Min <= best.Min
                ? string.Create(inv, $"{best.Min / ours.Min:F2}× faster than")
                : string.Create(inv, $"{ours.Min / best.Min:F2}× slower than");
            w.WriteLine(string.Create(inv, $"From {ours.Format}, {(ours.Name.Contains("InputColumns", StringComparison.Ordinal) ? "the metrics' columns" : "every column")}: the library is {verdict} the fastest peer ({best.Name.Split(':')[0]}), min of {runs} run(s)."));
        }
    }
}
