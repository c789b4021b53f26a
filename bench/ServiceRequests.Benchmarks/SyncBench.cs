using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using ServiceRequests.Sample;
using ServiceRequests.SeeClickFix;
using ServiceRequests.Sync;

namespace ServiceRequests.Cli.Bench;

/// <summary>
/// <c>bench sync</c>: (1) flatten + write throughput: N generated issues (cycled from a pool of
/// 50,000 with new ids; generating is not timed) flattened and streamed to the private CSV; then
/// the same through the store (<see cref="IssueStore.Upsert"/> keeps every row in memory, then the
/// private table is written), and the public export on its own. (2) Requests: a full sync of M issues from a minimal local
/// SeeClickFix list endpoint (HttpListener on 127.0.0.1; the sync's query only), then 1% of the
/// issues changed and an incremental sync, counting requests (the API's real limit is requests per minute).
/// </summary>
internal static class SyncBench
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var issues = new Option<int>("--issues") { Description = "Issues to flatten and write.", DefaultValueFactory = _ => 1_000_000 };
        var served = new Option<int>("--served") { Description = "Issues the local server holds for the request count.", DefaultValueFactory = _ => 100_000 };
        var command = new Command("sync", "Flatten + write throughput of the sync store, and requests of an incremental sync at 1% changed vs a full sync.") { issues, served };
        command.SetAction((parse, cancel) => CommandLine.Guard(error, async () =>
        {
            var n = parse.GetValue(issues);
            var m = parse.GetValue(served);
            if (n < 1 || m < 100)
            {
                throw new ArgumentException("--issues must be 1 or more and --served 100 or more.");
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
                store.SavePrivate();
                var flattenWrite = watch.Elapsed.TotalSeconds;
                var bytes = new FileInfo(Path.Combine(store.Folder, IssueStore.PrivateTable)).Length;
                watch.Restart();
                store.Save();
                var export = watch.Elapsed.TotalSeconds;
                var peak = ProcessMemory.PeakBytes();
                cancel.ThrowIfCancellationRequested();

                await error.WriteLineAsync($"Full and incremental sync of {m:N0} issues against a local server ...");
                var (full, incremental, changed) = await RequestsAsync(m, Path.Combine(folder, "sync"), cancel);

                var inv = CultureInfo.InvariantCulture;
                await output.WriteLineAsync($"- command: `dotnet run -c Release --project lib/ServiceRequests.Cli -- bench sync --issues {n} --served {m}`");
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
        var issues = SampleGenerator.Generate(new SampleOptions { Issues = count }).Select(i => i.Request).OrderBy(i => i.UpdatedAt).ThenBy(i => i.Id).ToList();
        using var server = new ListServer(issues);
        using var client = new SeeClickFixClient(server.Address, new SeeClickFixOptions { Token = null, Credentials = null, RequestsPerMinute = 1_000_000 });
        var sync = new IssueSync(client, new IssueQuery { Place = "detroit" }, new SyncOptions { Overlap = TimeSpan.FromMinutes(15) });
        var full = await sync.RunAsync(folder, false, null, cancel);
        var changed = count / 100;
        var random = new Random(1);
        var later = issues[^1].UpdatedAt.AddHours(1);
        lock (server.Lock)
        {
            foreach (var index in Enumerable.Range(0, count).OrderBy(_ => random.Next()).Take(changed).ToList())
            {
                later = later.AddSeconds(random.Next(1, 30));
                issues[index] = issues[index] with { Status = IssueStatus.Closed, UpdatedAt = later };
            }
            issues.Sort((a, b) => a.UpdatedAt != b.UpdatedAt ? a.UpdatedAt.CompareTo(b.UpdatedAt) : a.Id.CompareTo(b.Id));
        }
        var incremental = await sync.RunAsync(folder, false, null, cancel);
        return (full, incremental, changed);
    }

    /// <summary>The list endpoint as the sync asks it (all statuses, sort=updated_at ASC, updated_at_after, page, per_page ≤ 100).</summary>
    private sealed class ListServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<ServiceRequest> _issues;
        private readonly Task _loop;

        public ListServer(List<ServiceRequest> issues)
        {
            _issues = issues;
            // HttpListener cannot take an ephemeral port: try free-looking ports until one binds.
            var random = new Random(Environment.ProcessId);
            for (var attempt = 1; ; attempt++)
            {
                Address = new Uri($"http://127.0.0.1:{random.Next(20_000, 60_000)}/");
                _listener.Prefixes.Add(Address.ToString());
                try
                {
                    _listener.Start();
                    break;
                }
                catch (HttpListenerException) when (attempt < 20)
                {
                    _listener.Prefixes.Clear();
                }
            }
            _loop = Task.Run(LoopAsync);
        }

        public object Lock { get; } = new();

        public Uri Address { get; }

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                Serve(context);
            }
        }

        private void Serve(HttpListenerContext context)
        {
            var q = context.Request.QueryString;
            var after = q["updated_at_after"] is { } a ? DateTimeOffset.Parse(a, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
            var page = int.Parse(q["page"] ?? "1", CultureInfo.InvariantCulture);
            var perPage = Math.Min(100, int.Parse(q["per_page"] ?? "20", CultureInfo.InvariantCulture));
            List<ServiceRequest> items;
            int entries;
            lock (Lock)
            {
                var lo = 0;
                var hi = _issues.Count;
                while (lo < hi)
                {
                    var mid = (lo + hi) / 2;
                    if (_issues[mid].UpdatedAt > after)
                    {
                        hi = mid;
                    }
                    else
                    {
                        lo = mid + 1;
                    }
                }
                entries = _issues.Count - lo;
                items = _issues.GetRange(Math.Min(_issues.Count, lo + (page - 1) * perPage), Math.Max(0, Math.Min(perPage, entries - (page - 1) * perPage)));
            }
            var pages = (entries + perPage - 1) / perPage;
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteStartArray("issues");
                foreach (var i in items)
                {
                    json.WriteStartObject();
                    json.WriteNumber("id", i.Id);
                    json.WriteString("status", i.Status.ToString());
                    json.WriteString("summary", i.Summary);
                    json.WriteString("description", i.Description);
                    json.WriteString("address", i.Address);
                    json.WriteString("created_at", i.CreatedAt.ToString(FlatIssue.TimestampFormat, CultureInfo.InvariantCulture));
                    json.WriteString("updated_at", i.UpdatedAt.ToString(FlatIssue.TimestampFormat, CultureInfo.InvariantCulture));
                    json.WriteStartObject("request_type");
                    json.WriteString("title", i.RequestType?.Title);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteStartObject("metadata");
                json.WriteStartObject("pagination");
                json.WriteNumber("entries", entries);
                json.WriteNumber("page", page);
                json.WriteNumber("per_page", perPage);
                json.WriteNumber("pages", pages);
                if (page < pages)
                {
                    json.WriteString("next_page_url", context.Request.Url!.GetLeftPart(UriPartial.Path) + "?" +
                        string.Join('&', q.AllKeys.Where(k => k != "page").Select(k => $"{k}={Uri.EscapeDataString(q[k]!)}")) + $"&page={page + 1}");
                }
                else
                {
                    json.WriteNull("next_page_url");
                }
                json.WriteEndObject();
                json.WriteEndObject();
                json.WriteEndObject();
            }
            context.Response.ContentType = "application/json";
            context.Response.OutputStream.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
            context.Response.Close();
        }

        public void Dispose()
        {
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
