using ServiceRequests.Sync;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Sync;

public class StoreCommitTests
{
    private static StoreFileWrite Text(string name, string text) => new(name, 1, s => s.Write(System.Text.Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void A_commit_records_each_file_and_leaves_an_unchanged_one_with_its_generation()
    {
        using var folder = new TempFolder();
        var empty = new HashSet<string>();
        var first = StoreCommit.Commit(folder.Path, new SyncState(), [Text(StoreLayout.PublicTable, "a"), Text(StoreLayout.RunLogFile, "{}\n")], empty);
        var second = StoreCommit.Commit(folder.Path, first, [Text(StoreLayout.PublicTable, "a"), Text(StoreLayout.RunLogFile, "{}\n{}\n")], empty);

        Assert.Equal(2, second.Generation);
        Assert.Equal(1, second.Files!["public/issues.csv"].Generation);
        Assert.Equal(2, second.Files!["runs.jsonl"].Generation);
        Assert.Equal("ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", second.Files!["public/issues.csv"].Sha256); // sha256("a")
        Assert.Equal(second, SyncState.Load(Path.Combine(folder.Path, StoreLayout.StateFile)) with { Files = second.Files });
        Assert.Empty(StoreCommit.Check(folder.Path, second));
        Assert.Equal(["public/issues.csv", "runs.jsonl", "state.json"],
            Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder.Path, f).Replace('\\', '/')).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Recover_finishes_a_committed_generation_deletes_the_stores_leftovers_and_nothing_else()
    {
        using var folder = new TempFolder();
        var state = StoreCommit.Commit(folder.Path, new SyncState(), [Text(StoreLayout.DeletedTable, "id,deleted_at\r\n")], new HashSet<string>());
        var publicFolder = Path.Combine(folder.Path, StoreLayout.PublicFolder);
        // As a run killed after committing generation 2 and before renaming leaves it:
        File.WriteAllText(Path.Combine(publicFolder, ".deleted.csv.gen2"), "id,deleted_at\r\n7,x\r\n");
        var committed = state with
        {
            Generation = 2,
            Files = new Dictionary<string, SyncState.StoreFileEntry>(state.Files!) { ["public/deleted.csv"] = state.Files!["public/deleted.csv"] with { Generation = 2 } },
        };
        string[] leftovers = [".issues.json.gen3", ".issues.csv.4242.0123abcd.tmp", "../.state.json.4242.0123abcd.tmp", "../.runs.jsonl.gen2"];
        string[] foreign = [".published.json.4242.0123abcd.tmp", "notes.txt", ".issues.json.gen3.bak"];
        foreach (var name in leftovers.Concat(foreign))
        {
            File.WriteAllText(Path.Combine(publicFolder, name), "x");
        }

        StoreCommit.Recover(folder.Path, committed);

        Assert.Equal("id,deleted_at\r\n7,x\r\n", File.ReadAllText(Path.Combine(folder.Path, StoreLayout.DeletedTable)));
        Assert.All(leftovers, name => Assert.False(File.Exists(Path.Combine(publicFolder, name)), name));
        Assert.All(foreign, name => Assert.True(File.Exists(Path.Combine(publicFolder, name)), name));
    }

    [Fact]
    public void Check_names_a_missing_file_a_cut_file_and_a_changed_byte()
    {
        using var folder = new TempFolder();
        var state = StoreCommit.Commit(folder.Path, new SyncState(),
            [Text(StoreLayout.PublicTable, "abc"), Text(StoreLayout.PublicJson, "abc"), Text(StoreLayout.RunLogFile, "abc")], new HashSet<string>());
        File.Delete(Path.Combine(folder.Path, StoreLayout.PublicTable));
        File.WriteAllText(Path.Combine(folder.Path, StoreLayout.PublicJson), "ab");
        File.WriteAllText(Path.Combine(folder.Path, StoreLayout.RunLogFile), "abd");

        var problems = StoreCommit.Check(folder.Path, state).ToDictionary(p => p.Key, p => p.Problem);

        Assert.StartsWith("is missing", problems["public/issues.csv"]);
        Assert.Contains("2 bytes where it wrote 3", problems["public/issues.json"]);
        Assert.Contains("the same 3 bytes but another SHA-256", problems["runs.jsonl"]);
    }
}
