using ServiceRequests.IO;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.IO;

public class AtomicFileTests
{
    [Fact]
    public void A_failed_write_leaves_the_previous_file_and_no_temporary_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("table.csv");
        AtomicFile.WriteAllText(path, "old complete content");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            throw new InvalidOperationException("crash mid-write");
        }));

        Assert.Equal("old complete content", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Creates_folders_and_replaces_files()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "a", "b", "state.json");
        AtomicFile.WriteAllText(path, "1");
        AtomicFile.WriteAllText(path, "2");
        Assert.Equal("2", File.ReadAllText(path));
    }

    [Fact]
    public void An_unwritable_place_is_named_in_the_error()
    {
        using var folder = new TempFolder();
        var blocker = folder.File("file");
        File.WriteAllText(blocker, "");
        var error = Assert.Throws<ServiceRequestsException>(() => AtomicFile.WriteAllText(Path.Combine(blocker, "x.json"), "{}"));
        Assert.Contains(Path.Combine(blocker, "x.json"), error.Message);
    }
}
