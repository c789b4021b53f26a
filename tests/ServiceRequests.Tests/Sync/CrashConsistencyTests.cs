using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ServiceRequests.IO;
using ServiceRequests.Sync;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ServiceRequests.Tests.Sync;

/// <summary>
/// One <c>sync --full</c> of the built program against the fake SeeClickFix (500 issues, 40 of
/// them deleted, 30 changed and 10 added since the store's first load; progress saved after every
/// page), and the store an uninterrupted run leaves.
/// </summary>
public sealed class CrashScenario : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "sr-crash-" + Guid.NewGuid().ToString("N"));

    internal FakeSeeClickFix Fake { get; private set; } = null!;

    /// <summary>The store before the run.</summary>
    public string Before => Path.Combine(_work, "before");

    /// <summary>The store after an uninterrupted run.</summary>
    public string Reference => Path.Combine(_work, "reference");

    /// <summary>How long the uninterrupted run took.</summary>
    public TimeSpan Duration { get; private set; }

    /// <summary>The rows and deletions compared in each check.</summary>
    public (int Rows, int Deleted) Size { get; private set; }

    public async Task InitializeAsync()
    {
        Fake = await FakeSeeClickFix.StartAsync(FakeSeeClickFix.Generate(500, seed: 13));
        var first = await SyncAsync(Before);
        Assert.True(first.Code == 0, first.Err);
        var ids = Fake.Ids().ToList();
        foreach (var id in ids.Where((_, i) => i % 12 == 5).Take(40))
        {
            Fake.Delete(id);
        }
        foreach (var id in ids.Where((_, i) => i % 16 == 3).Take(30))
        {
            Fake.Change(id, i => i with { Description = "changed since the first load " + id.ToString(CultureInfo.InvariantCulture) });
        }
        for (var n = 0; n < 10; n++)
        {
            Fake.Add(Fake.Truth().Values.ElementAt(n) with { Id = 90_000_000 + n });
        }
        Copy(Before, Reference);
        var clock = Stopwatch.StartNew();
        var reference = await SyncAsync(Reference);
        Duration = clock.Elapsed;
        Assert.True(reference.Code == 0, reference.Err);
        Assert.Contains("40 deleted", reference.Out);
        Size = (IssueStore.Open(Reference).Count, DeletedIds(Reference).Count);
    }

    public async Task DisposeAsync()
    {
        await Fake.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    /// <summary>A fresh copy of the store before the run, in a folder of its own.</summary>
    public string Fresh(string name, string? under = null)
    {
        var store = Path.Combine(under ?? _work, name);
        Copy(Before, store);
        return store;
    }

    public string[] Arguments(string store) =>
        ["sync", "--base-url", Fake.BaseAddress.ToString(), "--place", FakeSeeClickFix.Place, "--out", store, "--requests-per-minute", "600000", "--full", "--checkpoint-minutes", "0"];

    /// <summary>Runs the sync to its end (or its death), with the save fault <paramref name="fault"/> armed.</summary>
    public Task<(int Code, string Out, string Err)> SyncAsync(string store, string? fault = null) =>
        CliProcess.RunAsync(Arguments(store), (SaveFault.Variable, fault));

    /// <summary>Asserts that <paramref name="store"/> ended where the uninterrupted run did (<paramref name="what"/> says how it got there).</summary>
    public void AssertEndedAsReference(string store, string what)
    {
        foreach (var name in new[] { StoreLayout.PrivateTable, StoreLayout.PublicTable, StoreLayout.PublicJson })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(Reference, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(store, name))),
                $"{what}: {name} differs from the uninterrupted run's");
        }
        // deleted_at is when a run found the deletion, so only the ids must match.
        Assert.True(DeletedIds(Reference).SequenceEqual(DeletedIds(store)), $"{what}: the deleted ids differ: {string.Join(' ', DeletedIds(store))}");
        var state = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(store, StoreLayout.StateFile))).RootElement;
        var expected = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Reference, StoreLayout.StateFile))).RootElement;
        Assert.Equal(expected.GetProperty("updated_at").GetString(), state.GetProperty("updated_at").GetString());
        Assert.False(state.TryGetProperty("in_progress", out _), $"{what}: the state still holds a run in progress");
        var log = File.ReadAllLines(Path.Combine(store, StoreLayout.RunLogFile));
        Assert.All(log, line => JsonDocument.Parse(line));
        Assert.Equal("success", JsonDocument.Parse(log[^1]).RootElement.GetProperty("outcome").GetString());
        Assert.True(Files(Reference).SequenceEqual(Files(store)), $"{what}: left behind {string.Join(", ", Files(store).Except(Files(Reference)))}");
    }

    private static List<string> DeletedIds(string store) =>
        [.. File.ReadAllLines(Path.Combine(store, StoreLayout.DeletedTable)).Skip(1).Select(l => l.Split(',')[0])];

    private static IEnumerable<string> Files(string store) =>
        Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(store, f)).Order(StringComparer.Ordinal);

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

/// <summary>
/// Crash consistency of the whole save: the built program is killed (kill -9) at every durable
/// step of a <c>sync --full</c> and at random moments, or meets a full disk, and a re-run must end
/// exactly where an uninterrupted run ends: no issue or deletion lost or duplicated, the public
/// deletions file included, and no temporary file left behind.
/// </summary>
public class CrashConsistencyTests(CrashScenario scenario, ITestOutputHelper output) : IClassFixture<CrashScenario>
{
    private const int Killed = 128 + CliProcess.SigKill;

    [Fact]
    public async Task Killed_at_every_save_step_a_rerun_ends_where_an_uninterrupted_run_ends()
    {
        var step = 1;
        for (; ; step++)
        {
            var store = scenario.Fresh($"kill-{step}");
            var killed = await scenario.SyncAsync(store, $"kill@{step}");
            if (killed.Code == 0)
            {
                scenario.AssertEndedAsReference(store, $"a run past its last step ({step})");
                break;
            }
            Assert.True(killed.Code == Killed, $"kill@{step}: exit code {killed.Code}: {killed.Err}");
            var rerun = await scenario.SyncAsync(store);
            Assert.True(rerun.Code == 0, $"the re-run after kill@{step}: {rerun.Err}");
            scenario.AssertEndedAsReference(store, $"killed at step {step}, then re-run");
            Directory.Delete(store, recursive: true);
            Assert.True(step < 1_000, "the run never ended");
        }
        Assert.InRange(step, 20, 1_000);
        output.WriteLine($"{step - 1} kills, one at each save step of the run; {scenario.Size.Rows} rows and {scenario.Size.Deleted} deletions compared after each re-run");
    }

    [Fact]
    public async Task Killed_at_random_moments_and_again_while_recovering_a_rerun_ends_where_an_uninterrupted_run_ends()
    {
        var random = new Random(1311);
        // How long a run takes now (the fixture's run may have shared the cores with other tests starting up); kills land within it.
        var clock = Stopwatch.StartNew();
        var timed = await scenario.SyncAsync(scenario.Fresh("timed"));
        Assert.True(timed.Code == 0, timed.Err);
        var duration = TimeSpan.FromTicks(Math.Min(clock.Elapsed.Ticks, scenario.Duration.Ticks));
        var kills = 0;
        for (var trial = 0; trial < 16; trial++)
        {
            var store = scenario.Fresh($"random-{trial}");
            // One to three runs killed at a random moment of their own (the later ones recover the earlier ones' leftovers).
            for (int run = 0, runs = 1 + trial % 3; run < runs; run++)
            {
                using var child = CliProcess.Start(scenario.Arguments(store));
                await Task.Delay(TimeSpan.FromMilliseconds(random.NextDouble() * duration.TotalMilliseconds));
                child.Kill();
                var code = await child.WaitAsync(TimeSpan.FromMinutes(1));
                kills += code == Killed ? 1 : 0;
            }
            var rerun = await scenario.SyncAsync(store);
            Assert.True(rerun.Code == 0, $"the re-run of trial {trial}: {rerun.Err}");
            scenario.AssertEndedAsReference(store, $"trial {trial}");
            Directory.Delete(store, recursive: true);
        }
        Assert.InRange(kills, 8, 32);
        output.WriteLine($"{kills} kills at random moments over 16 trials (up to three in a row); {scenario.Size.Rows} rows and {scenario.Size.Deleted} deletions compared after each");
    }

    [Fact]
    public async Task A_full_disk_at_any_save_step_fails_with_one_line_and_a_rerun_ends_where_an_uninterrupted_run_ends()
    {
        var step = 1;
        for (; ; step++)
        {
            var store = scenario.Fresh($"full-{step}");
            var full = await scenario.SyncAsync(store, $"disk-full@{step}");
            if (full.Code == 0)
            {
                break;
            }
            Assert.True(full.Code == 1, $"disk-full@{step}: exit code {full.Code}: {full.Err}");
            var line = Assert.Single(full.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: ", line);
            Assert.Contains("No space left on device", line);
            var rerun = await scenario.SyncAsync(store);
            Assert.True(rerun.Code == 0, $"the re-run after disk-full@{step}: {rerun.Err}");
            scenario.AssertEndedAsReference(store, $"a full disk at step {step}, then a re-run");
            Directory.Delete(store, recursive: true);
            Assert.True(step < 1_000, "the run never ended");
        }
        Assert.InRange(step, 20, 1_000);
        output.WriteLine($"{step - 1} full disks, one at each save step");
    }

    [TmpfsFact]
    public async Task A_real_full_disk_fails_with_one_line_and_after_space_is_freed_a_rerun_ends_where_an_uninterrupted_run_ends()
    {
        using var disk = new Tmpfs("size=16m");
        var storeBytes = Directory.EnumerateFiles(scenario.Reference, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var failures = 0;
        var trials = 0;
        for (var left = 0L; left < 3 * storeBytes; left += storeBytes / 4, trials++)
        {
            var store = scenario.Fresh("store", disk.Path);
            var filler = Path.Combine(disk.Path, "filler");
            Fill(filler, disk.Free - left);
            var full = await scenario.SyncAsync(store);
            if (full.Code != 0)
            {
                failures++;
                Assert.True(full.Code == 1, $"{left:N0} bytes left: exit code {full.Code}: {full.Err}");
                var line = Assert.Single(full.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
                Assert.StartsWith("error: ", line);
            }
            File.Delete(filler);
            var rerun = await scenario.SyncAsync(store);
            Assert.True(rerun.Code == 0, $"the re-run with space again after {left:N0} bytes left: {rerun.Err}");
            scenario.AssertEndedAsReference(store, $"{left:N0} bytes left on a real disk, then space freed");
            Directory.Delete(store, recursive: true);
        }
        Assert.InRange(failures, 3, trials);
        output.WriteLine($"{trials} runs on a tmpfs with 0 to {3 * storeBytes:N0} bytes left (the store holds {storeBytes:N0}); {failures} ran out of space");
    }

    private static void Fill(string path, long bytes)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[1 << 16];
        try
        {
            for (var written = 0L; written < bytes; written += block.Length)
            {
                file.Write(block, 0, (int)Math.Min(block.Length, bytes - written));
            }
            file.Flush();
        }
        catch (IOException)
        {
            // Full already.
        }
    }
}
