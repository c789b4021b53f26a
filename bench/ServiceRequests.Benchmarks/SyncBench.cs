using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ServiceRequests.IO;
using ServiceRequests.Sample;
using ServiceRequests.SeeClickFix;
using ServiceRequests.SeeClickFix.Model;
using ServiceRequests.Sync;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Benchmarks;

/// <summary>
/// <c>sync</c>: (1) flatten + write throughput: N generated issues (cycled from a pool of
/// 50,000 with new ids; generating is not timed) flattened and streamed to the private CSV; then
/// the same through the store (<see cref="IssueStore.Upsert"/> keeps every row in memory, then the
/// private table is written), and the public export on its own. (2) Requests: a full sync of M issues from the
/// tests' SeeClickFix server (<see cref="FakeSeeClickFix"/>, Kestrel on 127.0.0.1), then 1% of the
/// issues changed and an incremental sync, counting requests (the API's real limit is requests per minute).
/// </summary>
internal static class SyncBench
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var issues = new Option<int>("--issues") { Description = "Issues to flatten and write.", DefaultValueFactory = _ => 1_000_000 };
        var served = new Option<int>("--served") { Description = "Issues the local server holds for the request count.", DefaultValueFactory = _ => 100_000 };
        var command = new Command("sync", "Flatten + write throughput of the sync store, and requests of an incremental sync at 1% changed vs a full sync.") { issues, served };
        command.SetAction((parse, cancel) => BenchCommand.Guard(error, async () =>
        {
            var n = parse.GetValue(issues);
            var m = parse.GetValue(served);
            if (n < 1 || m < 100)
            {
                throw new ServiceRequestsException("--issues must be 1 or more and --served 100 or more.");
            }
            var pool = SampleGenerator.Generate(new SampleOptions { Issues = Math.Min(n, 50_000) }).Select(i => i.Request).ToArray();
            var folder = Path.Combine(Path.GetTempPath(), $"sr-bench-sync-{Environment.ProcessId}");
            try
            {
                await error.WriteLineAsync($"Flattening and writing {n:N0} issues ...");
                var stream = Path.Combine(folder, "stream.csv");
                var watch = Stopwatch.StartNew();
                AtomicFile.Write(stream, s => IssueCsv.Write(s, FlatIssue.PrivateColumns, IssueCsv.PrivateTextColumns,
                    Enumerable.Range(0, n).Select(i => FlatIssue.ToValues(pool[i % pool.Length] with { Id = 10_000_000L + i }, FlatIssue.PrivateColumns))));
                var streamed = watch.Elapsed.TotalSeconds;
                File.Delete(stream);
                var store = IssueStore.Open(Path.Combine(folder, "flat"));
                ProcessMemory.ResetPeak();
                watch.Restart();
                for (var i = 0; i < n; i++)
                {
                    store.Upsert(pool[i % pool.Length] with { Id = 10_000_000L + i });
                }
                var flatten = watch.Elapsed.TotalSeconds;
                store.SaveProgress(store.State);
                var flattenWrite = watch.Elapsed.TotalSeconds;
                var bytes = new FileInfo(Path.Combine(store.Folder, StoreLayout.PrivateTable)).Length;
                watch.Restart();
                store.Save();
                var export = watch.Elapsed.TotalSeconds;
                var peak = ProcessMemory.PeakBytes();
                cancel.ThrowIfCancellationRequested();

                await error.WriteLineAsync($"Full and incremental sync of {m:N0} issues against a local server ...");
                var (full, incremental, changed) = await RequestsAsync(m, Path.Combine(folder, "sync"), cancel);

                var inv = CultureInfo.InvariantCulture;
                await output.WriteLineAsync($"- command: `dotnet run -c Release --project bench/ServiceRequests.Benchmarks -- sync --issues {n} --served {m}`");
                await output.WriteLineAsync($"- machine: {MachineInfo.Describe()}");
                await output.WriteLineAsync();
                await output.WriteLineAsync("| measure | value |");
                await output.WriteLineAsync("|---|---:|");
                await output.WriteLineAsync(string.Create(inv, $"| flatten + write, streaming (`FlatIssue.ToValues` → private CSV) | {n / streamed:N0} issues/s ({streamed:F2} s, {bytes / 1048576.0:N0} MiB) |"));
                await output.WriteLineAsync(string.Create(inv, $"| store: upsert (flatten, kept in memory) | {n / flatten:N0} issues/s ({flatten:F2} s) |"));
                await output.WriteLineAsync(string.Create(inv, $"| store: upsert + write private table | {n / flattenWrite:N0} issues/s ({flattenWrite:F2} s) |"));
                await output.WriteLineAsync(string.Create(inv, $"| whole save (private + public CSV + portal JSON) | {n / (flattenWrite + export):N0} issues/s ({flattenWrite + export:F2} s) |"));
                await output.WriteLineAsync(string.Create(inv, $"| peak resident memory of the store path | {peak / 1048576.0:N0} MiB |"));
                await output.WriteLineAsync(string.Create(inv, $"| full sync of {m:N0} issues | {full.Requests:N0} requests ({full.Pages:N0} pages) |"));
                await output.WriteLineAsync(string.Create(inv, $"| incremental sync, {changed:N0} changed (1%) | {incremental.Requests:N0} requests ({100.0 * incremental.Requests / full.Requests:F2}% of full; changed/100 + 1 = {changed / 100 + 1}) |"));
                await output.WriteLineAsync(string.Create(inv, $"| at 20 requests/minute | full {full.Requests / 20.0:N0} min, incremental {incremental.Requests * 3:N0} s |"));
            }
            finally
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            return 0;
        }));
        return command;
    }

    private static async Task<(SyncReport Full, SyncReport Incremental, int Changed)> RequestsAsync(int count, string folder, CancellationToken cancel)
    {
        var issues = SampleGenerator.Generate(new SampleOptions { Issues = count }).Select(i => i.Request);
        await using var server = await FakeSeeClickFix.StartAsync(issues);
        using var client = new SeeClickFixClient(server.BaseAddress, new SeeClickFixOptions { Token = null, Credentials = null, RequestsPerMinute = 1_000_000 });
        var sync = new IssueSync(client, new IssueQuery { Place = FakeSeeClickFix.Place }, new SyncOptions { Overlap = TimeSpan.FromMinutes(15) });
        var full = await sync.RunAsync(folder, false, null, cancel);
        var changed = count / 100;
        var random = new Random(1);
        foreach (var id in server.Ids().OrderBy(_ => random.Next()).Take(changed).ToList())
        {
            server.Change(id, issue => issue with { Status = IssueStatus.Closed });
        }
        var incremental = await sync.RunAsync(folder, false, null, cancel);
        return (full, incremental, changed);
    }
}
