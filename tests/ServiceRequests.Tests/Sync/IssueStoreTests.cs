using ServiceRequests.SeeClickFix;
using ServiceRequests.Sync;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Sync;

public class IssueStoreTests
{
    [Fact]
    public void Upsert_keeps_the_newer_copy_and_counts_what_changed()
    {
        using var folder = new TempFolder();
        var store = IssueStore.Open(folder.Path);
        var issue = IssueCsvTests.FakeIssue();
        Assert.Equal(StoreChange.Inserted, store.Upsert(issue));
        Assert.Equal(StoreChange.Unchanged, store.Upsert(issue));
        var newer = issue with { Description = "newer", UpdatedAt = issue.UpdatedAt.AddHours(1) };
        Assert.Equal(StoreChange.Updated, store.Upsert(newer));
        Assert.Equal(StoreChange.Unchanged, store.Upsert(issue with { Description = "stale" }));
        Assert.Equal("newer", store.Find(1)!.Description);
        Assert.Equal(StoreChange.Unchanged, store.Upsert(newer with { Description = "" } with { Description = "newer" }));
    }

    [Fact]
    public void A_stored_updated_at_after_now_is_not_believed_and_a_full_run_goes_by_content()
    {
        using var folder = new TempFolder();
        var store = IssueStore.Open(folder.Path);
        var issue = IssueCsvTests.FakeIssue();
        var now = issue.UpdatedAt.AddDays(1);
        store.Upsert(issue with { Description = "bogus date", UpdatedAt = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        // Believed without a clock, not with one.
        Assert.Equal(StoreChange.Unchanged, store.Upsert(issue));
        Assert.Equal(StoreChange.Updated, store.Upsert(issue, now));
        Assert.Equal(StoreChange.Unchanged, store.Upsert(issue, now));

        // An older copy with other values: kept out incrementally, taken by a full run.
        var older = issue with { Description = "put back", UpdatedAt = issue.UpdatedAt.AddHours(-5) };
        Assert.Equal(StoreChange.Unchanged, store.Upsert(older, now));
        Assert.Equal(StoreChange.Updated, store.Upsert(older, now, byContent: true));
        Assert.Equal("put back", store.Find(issue.Id)!.Description);
    }

    [Fact]
    public void Save_and_open_round_trip_sorted_by_id_with_deletions_listed_and_no_personal_data_in_public()
    {
        using var folder = new TempFolder();
        var store = IssueStore.Open(folder.Path);
        store.Upsert(IssueCsvTests.FakeIssue(30, "=cmd|' /C calc'!A0"));
        store.Upsert(IssueCsvTests.FakeIssue(10, "-5 degrees, \"icy\"\nsecond line"));
        store.Upsert(IssueCsvTests.FakeIssue(20));
        Assert.True(store.Remove(20, new DateTimeOffset(2026, 11, 2, 3, 4, 5, TimeSpan.Zero)));
        Assert.False(store.Remove(99, DateTimeOffset.UnixEpoch));
        store.Save();

        var reopened = IssueStore.Open(folder.Path);
        Assert.Equal([10L, 30L], reopened.Ids.Order());
        Assert.Equal(store.Rows().Select(r => r.ToArray()), reopened.Rows().Select(r => r.ToArray()));
        Assert.Equal("=cmd|' /C calc'!A0", reopened.Find(30)!.Description);
        Assert.Equal("2026-11-02T03:04:05+00:00", reopened.Deleted[20]);
        var lines = File.ReadAllLines(Path.Combine(folder.Path, StoreLayout.PrivateTable));
        Assert.StartsWith(string.Join(',', FlatIssue.PrivateColumns), lines[0]);
        Assert.StartsWith("10,", lines[1]);
        var publicText = File.ReadAllText(Path.Combine(folder.Path, StoreLayout.PublicTable)) + File.ReadAllText(Path.Combine(folder.Path, StoreLayout.PublicJson));
        Assert.DoesNotContain("Reporter Name", publicText);
        Assert.Contains("'=cmd", publicText);
        Assert.Contains("Reporter Name", File.ReadAllText(Path.Combine(folder.Path, StoreLayout.PrivateTable)));

        // Re-inserting a deleted id takes it off the deleted list.
        reopened.Upsert(IssueCsvTests.FakeIssue(20));
        Assert.Empty(reopened.Deleted);
    }

    [Fact]
    public void A_progress_save_lists_a_removed_issue_as_deleted_in_the_same_generation_that_takes_it_out_of_the_private_table()
    {
        using var folder = new TempFolder();
        var store = Saved(folder.Path, 12);
        var gone = store.Ids.Order().ElementAt(4);
        Assert.True(store.Remove(gone, DateTimeOffset.UnixEpoch));

        store.SaveProgress(store.State with { InProgress = new SyncState.Progress { Full = true, Seen = [] } });

        var files = store.State.Files!;
        Assert.Equal(2, store.State.Generation);
        Assert.Equal(2, files["private/issues.csv"].Generation);
        Assert.Equal(2, files["public/deleted.csv"].Generation);
        Assert.Equal(1, files["public/deleted.csv"].Rows);
        Assert.Equal(11, files["private/issues.csv"].Rows);
        // The public rows are the last finished run's until the run ends.
        Assert.Equal(1, files["public/issues.csv"].Generation);
        var reopened = IssueStore.Open(folder.Path);
        Assert.DoesNotContain(gone, reopened.Ids);
        Assert.Equal([gone], reopened.Deleted.Keys);
        Assert.Empty(StoreCommit.Check(folder.Path, reopened.State));
    }

    [Fact]
    public void Opened_for_repair_a_cut_private_table_keeps_its_rows_knows_the_lost_ids_from_the_public_table_and_the_next_save_makes_it_whole()
    {
        using var folder = new TempFolder();
        var store = Saved(folder.Path, 20);
        var ids = store.Ids.Order().ToList();
        var table = Path.Combine(folder.Path, StoreLayout.PrivateTable);
        var records = IssueCsv.Read(table, FlatIssue.PrivateColumns, IssueCsv.PrivateTextColumns).Take(15).ToList();
        using (var cut = File.Create(table))
        {
            IssueCsv.Write(cut, FlatIssue.PrivateColumns, IssueCsv.PrivateTextColumns, records);
        }

        var refused = Assert.Throws<ServiceRequestsException>(() => IssueStore.Open(folder.Path));
        Assert.Contains(table, refused.Message);
        Assert.Contains("(20 rows)", refused.Message);

        var repair = IssueStore.Open(folder.Path, repair: true);
        Assert.Equal(ids[..15], repair.Ids.Order());
        Assert.Equal(ids, repair.KnownIds.Order());
        Assert.Contains(repair.Repairs, note => note.StartsWith("private/issues.csv is not what the last save wrote", StringComparison.Ordinal));
        Assert.Contains(repair.Repairs, note => note.Contains("5 ids known only from public/issues.csv", StringComparison.Ordinal));
        // Of the lost ids, one comes back from the source and one is gone: the repair lists it as deleted.
        repair.Upsert(FakeSeeClickFix.Generate(20).Single(i => i.Id == ids[15]));
        Assert.True(repair.Remove(ids[16], DateTimeOffset.UnixEpoch));
        repair.Save(runLine: """{"outcome":"success"}""");

        var whole = IssueStore.Open(folder.Path);
        Assert.Empty(whole.Repairs);
        Assert.Equal(ids[..16], whole.Ids.Order());
        Assert.Equal([ids[16]], whole.Deleted.Keys);
        Assert.Empty(StoreCommit.Check(folder.Path, whole.State));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(folder.Path, StoreLayout.RunLogFile)).Length);
    }

    [Fact]
    public void A_damaged_private_table_names_the_file()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, StoreLayout.PrivateTable);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "id,status\r\n1,Open\r\n");
        var error = Assert.Throws<ServiceRequestsException>(() => IssueStore.Open(folder.Path));
        Assert.Contains(path, error.Message);
    }

    private const string Noise = ",\"\r\n{}[]:-0x'";

    /// <summary>A store of <paramref name="issues"/> generated issues, saved once with a run line.</summary>
    private static IssueStore Saved(string folder, int issues)
    {
        var store = IssueStore.Open(folder);
        foreach (var issue in FakeSeeClickFix.Generate(issues))
        {
            store.Upsert(issue);
        }
        store.Save(runLine: """{"outcome":"success"}""");
        return store;
    }

    /// <summary>Changes one to three bytes of <paramref name="original"/>: a deletion, an insertion, a replaced byte or a cut.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        for (int m = 0, n = 1 + random.Next(3); m < n && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes.RemoveAt(at); break;
                case 1: bytes.Insert(at, (byte)Noise[random.Next(Noise.Length)]); break;
                case 2: bytes[at] = (byte)random.Next(256); break;
                default: bytes.RemoveRange(at, bytes.Count - at); break;
            }
        }
        return [.. bytes];
    }

    /// <summary>A saved store of 20 generated issues (one deleted) with a run in progress; returns every file's bytes.</summary>
    private static Dictionary<string, byte[]> SavedStore(string folder, bool withFileRecord)
    {
        var store = IssueStore.Open(folder);
        foreach (var issue in FakeSeeClickFix.Generate(20))
        {
            store.Upsert(issue);
        }
        store.Remove(store.Ids.First(), DateTimeOffset.UnixEpoch);
        store.Save(runLine: """{"outcome":"success"}""");
        store.SaveProgress(store.State with { Watermark = DateTimeOffset.UnixEpoch, InProgress = new SyncState.Progress { Full = true, Seen = [1, 2] } });
        if (!withFileRecord)
        {
            // As an older version saved it: no record of the files in the state.
            using var state = File.Create(Path.Combine(folder, StoreLayout.StateFile));
            (store.State with { Generation = 0, Files = null }).Write(state);
        }
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes);
    }

    private static void Restore(string folder, Dictionary<string, byte[]> originals)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => !originals.ContainsKey(Path.GetRelativePath(folder, f))))
        {
            File.Delete(file);
        }
        foreach (var (name, bytes) in originals)
        {
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        }
    }

    [Fact]
    public void Fuzz_any_change_to_a_file_the_state_records_is_refused_naming_the_file()
    {
        using var folder = new TempFolder();
        var originals = SavedStore(folder.Path, withFileRecord: true);
        string[] files = [StoreLayout.PrivateTable, StoreLayout.PublicTable, StoreLayout.PublicJson, StoreLayout.DeletedTable, StoreLayout.RunLogFile];
        var random = new Random(313);
        for (var round = 0; round < 300; round++)
        {
            var name = files[round % files.Length];
            var damaged = Mutate(originals[name], random);
            if (damaged.AsSpan().SequenceEqual(originals[name]))
            {
                continue;
            }
            File.WriteAllBytes(Path.Combine(folder.Path, name), damaged);
            var error = Assert.Throws<ServiceRequestsException>(() => IssueStore.Open(folder.Path));
            Assert.Contains(Path.Combine(folder.Path, name), error.Message);
            Assert.DoesNotContain('\n', error.Message);
            Restore(folder.Path, originals);
        }
    }

    [Fact]
    public void Fuzz_damaged_files_of_a_store_without_a_file_record_open_or_fail_with_a_format_error_naming_the_file()
    {
        using var folder = new TempFolder();
        var originals = SavedStore(folder.Path, withFileRecord: false);
        string[] files = [StoreLayout.PrivateTable, StoreLayout.DeletedTable, StoreLayout.StateFile, StoreLayout.RunLogFile];
        var random = new Random(311);
        var opened = 0;
        for (var round = 0; round < 600; round++)
        {
            var name = files[round % files.Length];
            File.WriteAllBytes(Path.Combine(folder.Path, name), Mutate(originals[name], random));
            try
            {
                // What opens must also merge and save.
                var damaged = IssueStore.Open(folder.Path);
                foreach (var id in damaged.Ids.Take(3).ToList())
                {
                    damaged.Upsert(damaged.Find(id)!);
                }
                damaged.Save();
                opened++;
            }
            catch (ServiceRequestsException e)
            {
                Assert.Contains(Path.GetFileName(name), e.Message);
            }
            Restore(folder.Path, originals);
        }
        Assert.InRange(opened, 1, 599);
    }

    [Fact]
    public void A_row_whose_updated_at_is_damaged_is_refused_on_open_naming_the_record_not_later_while_merging()
    {
        using var folder = new TempFolder();
        var store = IssueStore.Open(folder.Path);
        store.Upsert(IssueCsvTests.FakeIssue(5));
        store.Save();
        // A store saved by an older version (no record of its files to check against): the parser finds it.
        using (var state = File.Create(Path.Combine(folder.Path, StoreLayout.StateFile)))
        {
            (store.State with { Files = null }).Write(state);
        }
        var path = Path.Combine(folder.Path, StoreLayout.PrivateTable);
        File.WriteAllText(path, File.ReadAllText(path).Replace("2026-03-02T10:00:00-05:00", ""));
        var error = Assert.Throws<ServiceRequestsException>(() => IssueStore.Open(folder.Path));
        Assert.Contains("record 1 (id 5): updated_at", error.Message);
    }
}
