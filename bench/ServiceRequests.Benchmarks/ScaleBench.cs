using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using ServiceRequests.Metrics;
using ServiceRequests.Portal;
using ServiceRequests.Sample;

namespace ServiceRequests.Benchmarks;

/// <summary>
/// <c>scale</c>: loads a portal file (JSON or its Parquet copy) and runs the full metric suite
/// (<see cref="MetricsBench.Suite"/>) once, reporting the load and suite times and the peak
/// resident memory of the two together, per million rows. The load reads only the columns the
/// metrics read (<see cref="IssueMetrics.InputColumns"/>). The input is generated first when the
/// file is missing (a Parquet file straight, a million rows at a time, so that 40 million rows
/// never exist as JSON); run the command again on the same <c>--file</c> for a peak that does
/// not include what generating left behind.
/// </summary>
internal static class ScaleBench
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var rows = new Option<int>("--rows") { Description = "Rows to generate when --file is missing.", DefaultValueFactory = _ => 1_000_000 };
        var file = new Option<string>("--file") { Description = "The portal JSON file; its Parquet copy is the same name with .parquet. The one read (--from) is generated when missing (Parquet straight, without JSON).", Required = true };
        var format = new Option<string>("--from") { Description = "json or parquet.", DefaultValueFactory = _ => "json" };
        var copies = new Option<int>("--copies")
        {
            Description = "With --from parquet: generate --rows / copies issues and write them this many times over, ids offset per copy (DuckDB does the copying; the generator makes only about 10,000 issues a second).",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("scale", "Load a portal file (JSON or Parquet) and run the full metric suite: times and peak memory per million rows.")
        {
            rows, file, format, copies,
        };
        command.SetAction((parse, cancel) => BenchCommand.Guard(error, async () =>
        {
            var count = parse.GetValue(rows);
            var json = parse.GetValue(file)!;
            var from = parse.GetValue(format)!;
            var times = parse.GetValue(copies);
            if (count < 1 || from is not ("json" or "parquet"))
            {
                throw new ServiceRequestsException($"--rows must be 1 or more and --from json or parquet (got {count} and '{from}').");
            }
            if (times < 1 || count % times != 0 || (times > 1 && from != "parquet"))
            {
                throw new ServiceRequestsException($"--copies must be 1 or more, divide --rows, and go with --from parquet (got {times}).");
            }
            var parquet = Path.ChangeExtension(json, ".parquet");
            var path = from == "json" ? json : parquet;
            var generated = false;
            if (!File.Exists(path))
            {
                await error.WriteLineAsync($"Generating {count / times:N0} rows in {path}{(times > 1 ? $", then {times} copies of them" : "")} ...");
                var rowsOf = SampleGenerator.Generate(new SampleOptions { Issues = count / times }).Select(i => i.ToPortalRow());
                if (from == "json")
                {
                    PortalJson.WriteFile(rowsOf, json);
                }
                else
                {
                    // Straight to Parquet, a million rows at a time: a table larger than memory never exists as JSON or as one frame.
                    var once = times == 1 ? parquet : parquet + ".once.parquet";
                    await using (var stream = File.Create(once))
                    {
                        using var writer = new PortalParquet.Writer(stream);
                        foreach (var chunk in rowsOf.Chunk(1 << 20))
                        {
                            writer.Append(PortalParquet.ToFrame(chunk));
                            cancel.ThrowIfCancellationRequested();
                        }
                        writer.Close();
                    }
                    if (times > 1)
                    {
                        Copy(once, parquet, times);
                        File.Delete(once);
                    }
                }
                generated = true;
            }
            var sla = SlaTable.Load(RepositoryFiles.FindUp(SlaTable.DefaultRelativePath));
            GC.Collect();
            ProcessMemory.ResetPeak();
            var before = ProcessMemory.PeakBytes();
            var watch = Stopwatch.StartNew();
            var issues = IssueData.LoadAsync(path, new IssueLoadOptions { Columns = IssueMetrics.InputColumns }, cancel).GetAwaiter().GetResult();
            var load = watch.Elapsed.TotalSeconds;
            var afterLoad = ProcessMemory.PeakBytes();
            var cells = MetricsBench.Suite(issues, sla, new MetricOptions());
            var total = watch.Elapsed.TotalSeconds;
            var peak = ProcessMemory.PeakBytes();
            var millions = issues.Rows.Count / 1e6;
            var inv = CultureInfo.InvariantCulture;
            await output.WriteLineAsync($"- command: `dotnet run -c Release --project bench/ServiceRequests.Benchmarks -- scale --rows {count} --file {json} --from {from}{(times > 1 ? $" --copies {times}" : "")}`");
            await output.WriteLineAsync($"- machine: {MachineInfo.Describe()}");
            if (generated)
            {
                await output.WriteLineAsync("- the input was generated in this process: the peak below may include what generating left; run again for a clean figure");
            }
            await output.WriteLineAsync();
            await output.WriteLineAsync("| rows | from | load (s) | suite (s) | resident before (MiB) | peak after load (MiB) | peak load + suite (MiB) | peak per 1M rows (GB) | suite cells |");
            await output.WriteLineAsync("|---:|---|---:|---:|---:|---:|---:|---:|---:|");
            await output.WriteLineAsync(string.Create(inv,
                $"| {issues.Rows.Count:N0} | {from} | {load:F2} | {total - load:F2} | {before / 1048576.0:N0} | {afterLoad / 1048576.0:N0} | {peak / 1048576.0:N0} | {peak / 1e9 / millions:F2} | {cells:N0} |"));
            return 0;
        }));
        return command;
    }

    /// <summary>Writes the rows of <paramref name="source"/> <paramref name="times"/> times over to <paramref name="target"/>, ids (and the duplicates' canonical ids) offset by 10^10 per copy.</summary>
    private static void Copy(string source, string target, int times)
    {
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"""
            COPY (SELECT * REPLACE (CAST(CAST(id AS BIGINT) + k * 10000000000 AS VARCHAR) AS id, canonical_issue_id + k * 10000000000 AS canonical_issue_id)
                  FROM read_parquet('{source.Replace("'", "''", StringComparison.Ordinal)}'), range({times}) AS copies(k))
            TO '{target.Replace("'", "''", StringComparison.Ordinal)}' (FORMAT parquet, ROW_GROUP_SIZE 1048576)
            """;
        command.ExecuteNonQuery();
    }
}
