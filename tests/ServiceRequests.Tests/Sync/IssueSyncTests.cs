using System.Globalization;
using System.Runtime.Versioning;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix;
using ServiceRequests.SeeClickFix.Model;
using ServiceRequests.Sync;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Sync;

public class IssueSyncTests
{
    [Fact]
    public async Task First_run_loads_everything_and_a_rerun_without_changes_is_a_byte_identical_no_op()
    {
        await using var h = await SyncHarness.StartAsync();
        var first = await h.RunAsync();
        Assert.True(first.Full);
        Assert.Equal(450, first.Inserted);
        Assert.Equal(450, first.Total);
        h.AssertEqualsTruth();
        // Keyset paging: about one request per 100 issues.
        Assert.InRange(first.Requests, 5, 7);
        var before = h.Files();

        var generations = IssueStore.Open(h.Store).State.Files!;

        var second = await h.RunAsync();
        Assert.False(second.Full);
        Assert.Equal(0, second.Inserted + second.Updated + second.Deleted);
        Assert.Equal(1, second.Requests);
        var after = h.Files();
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before.Where(f => f.Key != StoreLayout.StateFile))
        {
            Assert.True(bytes.AsSpan().SequenceEqual(after[name]), $"{name} changed on a no-op run");
        }
        Assert.Equal(2, h.RunLog().Length);
        // Only the run log (and the state, which records it) was written again: every data file kept its generation.
        var state = IssueStore.Open(h.Store).State;
        Assert.Equal(2, state.Generation);
        Assert.All(state.Files!.Where(f => f.Key != StoreLayout.RunLogFile), f => Assert.Equal(generations[f.Key], f.Value));
        Assert.Equal(2, state.Files![StoreLayout.RunLogFile].Generation);
    }

    [Fact]
    public async Task Incremental_run_fetches_only_the_changes_and_asks_for_all_four_statuses_by_updated_at()
    {
        await using var h = await SyncHarness.StartAsync();
        await h.RunAsync();
        var ids = h.Fake.Ids().ToList();
        foreach (var id in ids.Where((_, i) => i % 60 == 0))
        {
            h.Fake.Change(id, i => i with { Status = IssueStatus.Closed, Description = "changed " + id });
        }
        h.Fake.Add(h.Fake.Truth()[ids[0]] with { Id = 99_000_001 });
        var requestsBefore = h.Fake.RequestCount;

        var report = await h.RunAsync();

        Assert.Equal(1, report.Inserted);
        Assert.Equal(8, report.Updated);
        Assert.Equal(1, report.Requests);
        h.AssertEqualsTruth();
        var target = h.Fake.Requests.Skip(requestsBefore).Single().Target;
        Assert.Contains("status=open,acknowledged,closed,archived", target);
        Assert.Contains("sort=updated_at", target);
        Assert.Contains("sort_direction=ASC", target);
        Assert.Contains("updated_at_after=", target);
    }

    [Fact]
    public async Task An_issue_updated_between_two_page_requests_makes_no_other_issue_go_missing()
    {
        await using var h = await SyncHarness.StartAsync();
        var early = h.Fake.Truth().Values.OrderBy(i => i.UpdatedAt).Take(3).Select(i => i.Id).ToList();
        // While the second and third pages are requested, issues already read move to the end of the list.
        h.Fake.BeforeGet = n =>
        {
            if (n is 2 or 3)
            {
                h.Fake.Change(early[n - 2], i => i with { Status = IssueStatus.Archived });
            }
        };
        await h.RunAsync();
        h.AssertEqualsTruth();
    }

    [Fact]
    public async Task Archived_issues_arrive_incrementally_and_deleted_ones_are_found_by_a_full_run()
    {
        await using var h = await SyncHarness.StartAsync();
        await h.RunAsync();
        var ids = h.Fake.Ids().ToList();
        h.Fake.Change(ids[10], i => i with { Status = IssueStatus.Archived });
        h.Fake.Delete(ids[20]);
        h.Fake.Delete(ids[30]);

        var incremental = await h.RunAsync();
        Assert.Equal(1, incremental.Updated);
        Assert.Equal(0, incremental.Deleted);
        Assert.Equal(IssueStatus.Archived, IssueStore.Open(h.Store).Find(ids[10])!.Status);

        var full = await h.RunAsync(full: true);
        Assert.True(full.Full);
        Assert.Equal(2, full.Deleted);
        h.AssertEqualsTruth();
        var deleted = File.ReadAllLines(Path.Combine(h.Store, StoreLayout.DeletedTable));
        Assert.Equal("id,deleted_at", deleted[0]);
        Assert.Equal([ids[20].ToString(CultureInfo.InvariantCulture), ids[30].ToString(CultureInfo.InvariantCulture)], deleted.Skip(1).Select(l => l.Split(',')[0]));
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(h.Store, StoreLayout.PublicJson)));
        Assert.Equal(448, json.RootElement.GetArrayLength());
        Assert.DoesNotContain(json.RootElement.EnumerateArray(), r => r.GetProperty("id").GetString() == ids[20].ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Rate_limits_server_errors_and_slow_responses_are_retried_and_the_result_equals_the_truth()
    {
        await using var h = await SyncHarness.StartAsync();
        h.Fake.Intercept = async (context, n) =>
        {
            switch (n)
            {
                case 2:
                    context.Response.StatusCode = 429;
                    context.Response.Headers.RetryAfter = "7";
                    await context.Response.WriteAsync("""{"message": "Too Many Requests", "code": 429}""");
                    return true;
                case 3:
                    context.Response.StatusCode = 500;
                    return true;
                case 4:
                    context.Response.StatusCode = 503;
                    return true;
                case 5:
                    await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted).ContinueWith(_ => { });
                    return true;
                case 6:
                    // A body cut short: the connection closes before Content-Length bytes came.
                    context.Response.ContentLength = 5000;
                    await context.Response.WriteAsync("""{"issues": [""");
                    await context.Response.Body.FlushAsync();
                    context.Abort();
                    return true;
                default:
                    return false;
            }
        };
        var report = await h.RunAsync(attemptTimeout: TimeSpan.FromSeconds(1));
        h.AssertEqualsTruth();
        Assert.Contains(TimeSpan.FromSeconds(7), h.Retry.Waits);
        Assert.Equal(5, report.Requests - report.Pages);
        Assert.Contains("\"errors\":5", h.RunLog().Single());
    }

    [Fact]
    public async Task A_truncated_page_fails_the_run_naming_page_and_byte_and_a_rerun_converges()
    {
        await using var h = await SyncHarness.StartAsync();
        await h.RunAsync();
        foreach (var id in h.Fake.Ids().Take(250))
        {
            h.Fake.Change(id, i => i with { Description = "edited" });
        }
        var truncate = h.Fake.RequestCount + 2;
        h.Fake.Intercept = async (context, n) =>
        {
            if (n != truncate)
            {
                return false;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"issues": [{"id": 1, "status": "Open", "summ""");
            return true;
        };
        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => h.RunAsync(options: new SyncOptions { CheckpointInterval = TimeSpan.Zero }));
        Assert.Contains("page 1", error.Message);
        Assert.Contains("byte 40", error.Message);
        var failed = JsonDocument.Parse(h.RunLog()[^1]).RootElement;
        Assert.Equal("failed", failed.GetProperty("outcome").GetString());
        Assert.Contains("byte 40", failed.GetProperty("error").GetString());

        h.Fake.Intercept = null;
        var rerun = await h.RunAsync();
        Assert.True(rerun.Resumed);
        h.AssertEqualsTruth();
    }

    [Fact]
    public async Task A_sync_cancelled_mid_page_keeps_a_complete_store_and_the_next_run_resumes_and_converges()
    {
        await using var h = await SyncHarness.StartAsync(900);
        using var cancel = new CancellationTokenSource();
        h.Fake.Intercept = async (context, n) =>
        {
            if (n == 5)
            {
                await cancel.CancelAsync();
                await Task.Delay(TimeSpan.FromSeconds(2), context.RequestAborted).ContinueWith(_ => { });
                return true;
            }
            return false;
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.RunAsync(options: new SyncOptions { CheckpointInterval = TimeSpan.Zero }, cancellationToken: cancel.Token));
        var partial = IssueStore.Open(h.Store);
        Assert.InRange(partial.Count, 300, 500);
        var state = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(h.Store, StoreLayout.StateFile))).RootElement;
        Assert.True(state.GetProperty("in_progress").GetProperty("full").GetBoolean());
        Assert.Equal("cancelled", JsonDocument.Parse(h.RunLog()[^1]).RootElement.GetProperty("outcome").GetString());
        Assert.Empty(Directory.EnumerateFiles(h.Store, "*.tmp", SearchOption.AllDirectories));

        h.Fake.Intercept = null;
        var rerun = await h.RunAsync();
        Assert.True(rerun.Resumed);
        Assert.True(rerun.Full);
        Assert.InRange(rerun.Pages, 5, 8);
        h.AssertEqualsTruth();
        Assert.Equal(900, rerun.Total);
    }

    [Fact]
    public async Task The_organization_endpoint_with_details_fills_every_column_including_the_closing_comment()
    {
        await using var h = await SyncHarness.StartAsync(60);
        var report = await h.RunAsync(organization: FakeSeeClickFix.Organization, options: new SyncOptions { Details = true });
        Assert.InRange(report.Pages, 3, 4);
        h.AssertEqualsTruth(organization: true, details: true);
        Assert.Contains(IssueStore.Open(h.Store).Rows(), r => r[FlatIssue.PrivateColumns.Count - 1] is not null);
        Assert.All(h.Fake.Requests, r => Assert.Contains("per_page=20", r.Target));
    }

    [Fact]
    public async Task The_public_export_holds_no_personal_data_and_redacts_the_configured_types()
    {
        await using var h = await SyncHarness.StartAsync(300);
        await h.RunAsync(organization: FakeSeeClickFix.Organization, options: new SyncOptions { Details = true, Redaction = new PublicRedaction(["Abandoned Vehicle", "Potholes"]) });
        var publicText = File.ReadAllText(Path.Combine(h.Store, StoreLayout.PublicJson)) + File.ReadAllText(Path.Combine(h.Store, StoreLayout.PublicTable));
        var truth = h.Fake.Truth(organization: true, details: true).Values.ToList();
        foreach (var issue in truth)
        {
            foreach (var person in new[] { issue.Reporter, issue.Agent, issue.Assignee })
            {
                if (person?.Name is { } name)
                {
                    Assert.DoesNotContain(name, publicText);
                }
            }
            foreach (var qa in issue.Questions.Where(q => q.Answer is { Length: > 3 }))
            {
                Assert.DoesNotContain(qa.Answer!, publicText);
            }
        }
        Assert.DoesNotContain("@example.com", publicText);
        Assert.DoesNotContain("313-555", publicText);
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(h.Store, StoreLayout.PublicJson)));
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(300, rows.Count);
        foreach (var row in rows.Where(r => r.GetProperty("request_type_title").GetString() is "Potholes" or "Abandoned Vehicle"))
        {
            Assert.False(row.TryGetProperty("description", out _));
            Assert.False(row.TryGetProperty("address", out _));
            Assert.False(row.TryGetProperty("location", out _));
        }
        Assert.Contains(rows, r => r.TryGetProperty("location", out _));
        var csv = File.ReadAllLines(Path.Combine(h.Store, StoreLayout.PublicTable));
        Assert.Equal(string.Join(',', PortalSchema.Columns.Select(c => c.Name)), csv[0]);
        Assert.Contains(csv, l => l.Contains("POINT (-83."));
    }

    [Fact]
    public async Task A_store_synced_from_one_source_refuses_another()
    {
        await using var h = await SyncHarness.StartAsync(30);
        await h.RunAsync();
        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => h.RunAsync(organization: FakeSeeClickFix.Organization));
        Assert.Contains("another store folder", error.Message);
        // With details the closing comments are filled, without them they are empty: never mixed in one store.
        error = await Assert.ThrowsAsync<ServiceRequestsException>(() => h.RunAsync(options: new SyncOptions { Details = true }));
        Assert.Contains("place detroit with details", error.Message);
    }

    [Fact]
    public async Task A_full_run_that_sees_nothing_does_not_delete_the_store()
    {
        await using var h = await SyncHarness.StartAsync(30);
        await h.RunAsync();
        foreach (var id in h.Fake.Ids())
        {
            h.Fake.Delete(id);
        }
        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => h.RunAsync(full: true));
        Assert.Contains("refusing to mark them all deleted", error.Message);
        Assert.Equal(30, IssueStore.Open(h.Store).Count);
    }

    [Fact]
    public async Task Two_syncs_never_write_one_store_at_once()
    {
        await using var h = await SyncHarness.StartAsync(30);
        using (new FileStream(Path.Combine(h.Store, StoreLayout.LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => h.RunAsync());
            Assert.Contains("Another sync is running", error.Message);
        }
        await h.RunAsync();
        h.AssertEqualsTruth();
        Assert.False(File.Exists(Path.Combine(h.Store, StoreLayout.LockFile)));
    }

    [Fact]
    public async Task A_run_that_fails_before_its_first_page_leaves_the_store_as_it_was()
    {
        await using var h = await SyncHarness.StartAsync(30);
        var error = await Assert.ThrowsAsync<SeeClickFixException>(() => h.RunAsync(organization: 508));
        Assert.Contains("HTTP 404", error.Message);
        var state = IssueStore.Open(h.Store).State;
        Assert.Null(state.Source);
        Assert.Null(state.Watermark);
        Assert.Equal([StoreLayout.RunLogFile], state.Files!.Keys);
        Assert.Equal("failed", JsonDocument.Parse(h.RunLog().Single()).RootElement.GetProperty("outcome").GetString());

        // The corrected source is accepted: the failed run recorded no source.
        var report = await h.RunAsync(organization: FakeSeeClickFix.Organization);
        Assert.False(report.Resumed);
        h.AssertEqualsTruth(organization: true);
    }
    private static readonly DateTimeOffset Year2099 = new(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_updated_at_in_2099_sent_once_neither_freezes_the_row_nor_moves_the_watermark_past_now()
    {
        await using var h = await SyncHarness.StartAsync(300);
        var options = new SyncOptions { Time = new ServerTime(() => h.Fake.Clock) };
        await h.RunAsync(options: options);
        var id = h.Fake.Ids().ElementAt(7);
        h.Fake.Put(h.Fake.Truth()[id] with { Description = "sent once with a date in 2099", UpdatedAt = Year2099 });

        var bogus = await h.RunAsync(options: options);
        Assert.Equal(1, bogus.Updated);
        Assert.True(bogus.Watermark <= h.Fake.Clock, $"the watermark {bogus.Watermark} passed the run's start {h.Fake.Clock}");

        // The API corrects it with an ordinary change: the row takes it.
        h.Fake.Change(id, i => i with { Description = "corrected" });
        var corrected = await h.RunAsync(options: options);
        Assert.Equal(1, corrected.Updated);
        Assert.Equal("corrected", IssueStore.Open(h.Store).Find(id)!.Description);
        h.AssertEqualsTruth();
    }

    [Fact]
    public async Task A_full_run_reconciles_by_content_even_when_the_stored_updated_at_is_later_than_the_sources()
    {
        await using var h = await SyncHarness.StartAsync(300);
        var options = new SyncOptions { Time = new ServerTime(() => h.Fake.Clock) };
        await h.RunAsync(options: options);
        var id = h.Fake.Ids().ElementAt(11);
        var original = h.Fake.Truth()[id];
        h.Fake.Put(original with { Description = "sent once with a date in 2099", UpdatedAt = Year2099 });
        await h.RunAsync(options: options);

        // The API puts the issue back as it was, old updated_at and all: only a full run can see that.
        h.Fake.Put(original);
        var incremental = await h.RunAsync(options: options);
        Assert.Equal(0, incremental.Updated);
        var full = await h.RunAsync(full: true, options: options);
        Assert.Equal(1, full.Updated);
        Assert.Equal(0, full.Inserted + full.Deleted);
        h.AssertEqualsTruth();
    }

    [Fact]
    public async Task A_watermark_left_in_the_future_by_a_clock_that_ran_ahead_does_not_stop_incremental_runs()
    {
        await using var h = await SyncHarness.StartAsync(120);
        var ids = h.Fake.Ids().ToList();
        h.Fake.Put(h.Fake.Truth()[ids[5]] with { UpdatedAt = Year2099 });
        // This machine's clock runs a year ahead during one run (and the API sends 2099): the watermark lands a year ahead.
        await h.RunAsync(options: new SyncOptions { Time = new ServerTime(() => h.Fake.Clock.AddYears(1)) });
        var id = ids[0];
        h.Fake.Change(id, i => i with { Description = "changed after the clock was put right" });

        var report = await h.RunAsync(options: new SyncOptions { Time = new ServerTime(() => h.Fake.Clock) });

        Assert.Equal(1, report.Updated);
        Assert.True(report.Watermark <= h.Fake.Clock);
        h.AssertEqualsTruth();
    }

    [UnixFact]
    [UnsupportedOSPlatform("windows")]
    public async Task The_private_table_is_readable_by_its_owner_only_even_in_a_store_made_with_open_modes()
    {
        await using var h = await SyncHarness.StartAsync(60);
        await h.RunAsync();
        var folder = Path.Combine(h.Store, StoreLayout.PrivateFolder);
        var table = Path.Combine(h.Store, StoreLayout.PrivateTable);
        const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(folder));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(table));

        // A store written by an older version (0755 folder, 0644 file) is closed up by the next run.
        File.SetUnixFileMode(folder, OwnerFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(table, OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        h.Fake.Change(h.Fake.Ids().First(), i => i with { Description = "changed" });
        await h.RunAsync();
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(folder));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(table));
        Assert.All(Directory.GetFiles(folder), f => Assert.Equal(OwnerFile, File.GetUnixFileMode(f)));
    }
}
