using System.Text;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;
using ServiceRequests.Portal;
using ServiceRequests.Socrata;
using ServiceRequests.Tests.Infrastructure;
using ServiceRequests.Tests.Portal;

namespace ServiceRequests.Tests.Socrata;

/// <summary>A large JSON file is read in parallel chunks; the result and the messages are those of one pass.</summary>
public class SodaJsonFileTests
{
    /// <summary>A file of about 12 MiB (three chunks or more) whose descriptions hold row-start look-alikes.</summary>
    private static string WriteLargeFile(string folder, Func<int, string?>? row = null)
    {
        var path = Path.Combine(folder, "large.json");
        var text = new StringBuilder("[\n");
        var padding = new string('x', 400);
        for (var i = 0; i < 24_000; i++)
        {
            // Every 7th description contains '},{' and '} , {"' as text: a chunk may start inside it.
            var description = i % 7 == 0 ? $"see }},{{\\\"id\\\":\\\"{i}\\\"}} and }} ,\\n {{ {padding}" : $"row {i} {padding}";
            text.Append(row?.Invoke(i) ?? $"{{\"id\":\"{i}\",\"status\":\"Open\",\"request_type_title\":\"Type {i % 30}\",\"description\":\"{description}\",\"created_at\":\"2025-0{1 + i % 9}-1{i % 10}T08:00:00.000\",\"council_district\":\"{1 + i % 7}\"}}");
            text.Append(i + 1 < 24_000 ? ",\n" : "\n]");
        }
        File.WriteAllText(path, text.ToString());
        Assert.True(new FileInfo(path).Length > 3 * (4 << 20), "the file must be large enough to be read in chunks");
        return path;
    }

    private static DataFrame OnePass(string path)
    {
        var builder = new FrameBuilder(PortalSchema.FrameColumns);
        using var file = File.OpenRead(path);
        new SodaJsonReader(builder, path).Read(file);
        return builder.ToDataFrame();
    }

    [Fact]
    public void A_large_file_read_in_chunks_gives_the_frame_of_one_pass_even_with_row_starts_inside_texts()
    {
        using var folder = new TempFolder();
        var path = WriteLargeFile(folder.Path);

        var chunked = SodaJsonFile.Load(path, PortalSchema.FrameColumns);

        Assert.Equal(24_000, chunked.Rows.Count);
        PortalParquetTests.AssertSameFrame(OnePass(path), chunked);
        Assert.StartsWith("see },{\"id\":\"0\"}", (string)chunked["description"][0], StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_row_deep_in_a_large_file_gets_the_message_of_one_pass()
    {
        using var folder = new TempFolder();
        var path = WriteLargeFile(folder.Path, i => i == 17_001 ? "{\"id\":\"17001\",\"council_district\":\"five\"}" : null);

        var chunked = Assert.Throws<ServiceRequestsException>(() => SodaJsonFile.Load(path, PortalSchema.FrameColumns));
        var single = Assert.Throws<ServiceRequestsException>(() => OnePass(path));

        Assert.Equal(single.Message, chunked.Message);
        Assert.Contains("council_district", chunked.Message);
    }
}
