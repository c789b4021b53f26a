using System.Text;
using System.Text.Json;
using ServiceRequests.Sync;

namespace ServiceRequests.Tests.Sync;

/// <summary>
/// Store files damaged after the sync saved them (a cut file, a changed byte, a damaged run log)
/// are found by the next run, which stops with one line naming the file; a full run repairs them.
/// </summary>
public class StoreDamageTests
{
    public static TheoryData<string> Damages =>
    [
        "private table cut at a line boundary",
        "private table with invalid UTF-8",
        "public JSON cut at a line boundary",
        "public CSV with a changed value",
        "deleted list cut at a line boundary",
        "run log cut in the middle of a line",
        "run log with a line that is not JSON",
        "state that is not JSON",
    ];

    /// <summary>The damaged file (relative to the store) and what is done to its bytes.</summary>
    private static (string File, Func<byte[], byte[]> Damage) Of(string damage) => damage switch
    {
        "private table cut at a line boundary" => (StoreLayout.PrivateTable, b => DropLastLines(b, 100)),
        "private table with invalid UTF-8" => (StoreLayout.PrivateTable, b => Replace(b, "pothole", 0xFF)),
        "public JSON cut at a line boundary" => (StoreLayout.PublicJson, b => DropLastLines(b, 40)),
        "public CSV with a changed value" => (StoreLayout.PublicTable, b => Replace(b, "Potholes", (byte)'Q')),
        "deleted list cut at a line boundary" => (StoreLayout.DeletedTable, b => DropLastLines(b, 1)),
        "run log cut in the middle of a line" => (StoreLayout.RunLogFile, b => b[..^25]),
        "run log with a line that is not JSON" => (StoreLayout.RunLogFile, b => [.. b, .. "{\"outcome\": \"succ\0\xff\n"u8]),
        "state that is not JSON" => (StoreLayout.StateFile, b => [.. b[..(b.Length / 2)]]),
        _ => throw new ArgumentOutOfRangeException(nameof(damage)),
    };

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task A_damaged_store_file_stops_the_next_run_with_one_line_naming_it_and_a_full_run_repairs_it(string damage)
    {
        await using var h = await SyncHarness.StartAsync();
        await h.RunAsync();
        var ids = h.Fake.Ids().ToList();
        h.Fake.Delete(ids[3]);
        h.Fake.Delete(ids[4]);
        await h.RunAsync(full: true);
        h.Fake.Change(ids[10], i => i with { Description = "changed" });
        await h.RunAsync();
        var pristine = h.Files();
        var (file, change) = Of(damage);
        var path = Path.Combine(h.Store, file);
        var damaged = change(File.ReadAllBytes(path));
        File.WriteAllBytes(path, damaged);

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => h.RunAsync());
        Assert.Contains(path, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.True(damaged.AsSpan().SequenceEqual(File.ReadAllBytes(path)), "the refused run changed the damaged file");

        var repair = await h.RunAsync(full: true);
        Assert.True(repair.Full);
        Assert.False(repair.Resumed);
        var key = file.Replace('\\', '/');
        Assert.Contains(repair.Repaired, note => note.StartsWith(key, StringComparison.Ordinal));
        var logged = JsonDocument.Parse(File.ReadAllLines(Path.Combine(h.Store, StoreLayout.RunLogFile))[^1]).RootElement;
        Assert.Contains(logged.GetProperty("repaired").EnumerateArray(), note => note.GetString()!.StartsWith(key, StringComparison.Ordinal));
        if (file == StoreLayout.DeletedTable)
        {
            Assert.Contains(repair.Repaired, note => note.Contains("cannot be found again from the source", StringComparison.Ordinal));
        }
        h.AssertEqualsTruth();
        foreach (var name in new[] { StoreLayout.PrivateTable, StoreLayout.PublicTable, StoreLayout.PublicJson })
        {
            Assert.True(pristine[name].AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(h.Store, name))), $"{name} differs after the repair");
        }
        var deleted = File.ReadAllLines(Path.Combine(h.Store, StoreLayout.DeletedTable)).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(damage.StartsWith("deleted", StringComparison.Ordinal) ? 1 : 2, deleted.Count);
        Assert.All(File.ReadAllLines(Path.Combine(h.Store, StoreLayout.RunLogFile)), line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));

        // Repaired: the next incremental run is accepted again, and reports nothing.
        Assert.Empty((await h.RunAsync()).Repaired);
    }

    [Fact]
    public async Task Ids_cut_from_the_private_table_that_left_the_source_meanwhile_are_still_listed_as_deleted_by_the_repair()
    {
        await using var h = await SyncHarness.StartAsync();
        await h.RunAsync();
        var path = Path.Combine(h.Store, StoreLayout.PrivateTable);
        File.WriteAllBytes(path, DropLastLines(File.ReadAllBytes(path), 50));
        var cut = h.Fake.Ids().TakeLast(50).ToList();
        h.Fake.Delete(cut[0]);
        h.Fake.Delete(cut[1]);

        var repair = await h.RunAsync(full: true);

        Assert.Equal(2, repair.Deleted);
        Assert.Equal(48, repair.Inserted);
        Assert.Contains(repair.Repaired, note => note.Contains("ids known only from public/issues.csv", StringComparison.Ordinal));
        h.AssertEqualsTruth();
        Assert.Equal([cut[0], cut[1]], IssueStore.Open(h.Store).Deleted.Keys);
    }

    private static byte[] DropLastLines(byte[] bytes, int lines)
    {
        var end = bytes.Length;
        for (var found = 0; found <= lines; end--)
        {
            if (bytes[end - 1] == (byte)'\n')
            {
                found++;
            }
        }
        return bytes[..(end + 1)];
    }

    private static byte[] Replace(byte[] bytes, string near, byte with)
    {
        var at = bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(near));
        Assert.True(at > 0, $"'{near}' is not in the file");
        var copy = bytes.ToArray();
        copy[at + 1] = with;
        return copy;
    }
}
