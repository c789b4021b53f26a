using ServiceRequests.Sync;
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
        var lines = File.ReadAllLines(Path.Combine(folder.Path, IssueStore.PrivateTable));
        Assert.StartsWith(string.Join(',', FlatIssue.PrivateColumns), lines[0]);
        Assert.StartsWith("10,", lines[1]);
        var publicText = File.ReadAllText(Path.Combine(folder.Path, IssueStore.PublicTable)) + File.ReadAllText(Path.Combine(folder.Path, IssueStore.PublicJson));
        Assert.DoesNotContain("Reporter Name", publicText);
        Assert.Contains("'=cmd", publicText);
        Assert.Contains("Reporter Name", File.ReadAllText(Path.Combine(folder.Path, IssueStore.PrivateTable)));

        // Re-inserting a deleted id takes it off the deleted list.
        reopened.Upsert(IssueCsvTests.FakeIssue(20));
        Assert.Empty(reopened.Deleted);
    }

    [Fact]
    public void A_damaged_private_table_names_the_file()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, IssueStore.PrivateTable);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "id,status\r\n1,Open\r\n");
        var error = Assert.Throws<FormatException>(() => IssueStore.Open(folder.Path));
        Assert.Contains(path, error.Message);
    }
}
