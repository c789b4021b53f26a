using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ServiceRequests.Metrics;
using ServiceRequests.Portal;
using ServiceRequests.Sample;

namespace ServiceRequests.Benchmarks;

/// <summary>
/// <c>scale</c>: loads a portal file (JSON or its Parquet copy) and runs the full metric suite
/// (<see cref="MetricsBench.Suite"/>) once, reporting the load and suite times and the peak
/// resident memory of the two together, per million rows. The input is generated first when the
/// file is missing; run the command again on the same <c>--file</c> for a peak that does not
/// include what generating left behind.
/// </summary>
internal static class ScaleBench
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var rows = new Option<int>("--rows") { Description = "Rows to generate when --file is missing.", DefaultValueFactory = _ => 1_000_000 };
        var file = new Option<string>("--file") { Description = "The portal JSON file (generated when missing); its Parquet copy is the same name with .parquet.", Required = true };
        var format = new Option<string>("--from") { Description = "json or parquet.", DefaultValueFactory = _ => "json" };
        var command = new Command("scale", "Load a portal file (JSON or Parquet) and run the full metric suite: times and peak memory per million rows.")
        {
            rows, file, format,
        };
        command.SetAction((parse, cancel) => BenchCommand.Guard(error, async () =>
        {
            var count = parse.GetValue(rows);
            var json = parse.GetValue(file)!;
            var from = parse.GetValue(format)!;
            if (count < 1 || from is not ("json" or "parquet"))
            {
                throw new ServiceRequestsException($"--rows must be 1 or more and --from json or parquet (got {count} and '{from}').");
            }
            var parquet = Path.ChangeExtension(json, ".parquet");
            var generated = false;
            if (!File.Exists(json))
            {
                await error.WriteLineAsync($"Generating {count:N0} rows of portal JSON in {json} ...");
                PortalJson.WriteFile(SampleGenerator.Generate(new SampleOptions { Issues = count }).Select(i => i.ToPortalRow()), json);
                generated = true;
            }
            if (from == "parquet" && !File.Exists(parquet))
            {
                await error.WriteLineAsync($"Writing its Parquet copy {parquet} ...");
                var frame = IssueData.LoadFile(json);
                await using var stream = File.Create(parquet);
                await PortalParquet.WriteAsync(frame, stream, cancel);
                generated = true;
            }
            var sla = SlaTable.Load(RepositoryFiles.FindUp(SlaTable.DefaultRelativePath));
            var path = from == "json" ? json : parquet;
            ProcessMemory.ResetPeak();
            var before = ProcessMemory.PeakBytes();
            var watch = Stopwatch.StartNew();
            var issues = IssueData.LoadFile(path);
            var load = watch.Elapsed.TotalSeconds;
            var afterLoad = ProcessMemory.PeakBytes();
            var cells = MetricsBench.Suite(issues, sla, new MetricOptions());
            var total = watch.Elapsed.TotalSeconds;
            var peak = ProcessMemory.PeakBytes();
            var millions = issues.Rows.Count / 1e6;
            var inv = CultureInfo.InvariantCulture;
            await output.WriteLineAsync($"- command: `dotnet run -c Release --project bench/ServiceRequests.Benchmarks -- scale --file {json} --from {from}`");
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
}
