using System.Text;
using ServiceRequests.Frames;
using ServiceRequests.Portal;
using ServiceRequests.Socrata;

namespace ServiceRequests.Tests.Socrata;

public class SodaFieldsTests
{
    [Fact]
    public void Parses_the_two_aligned_header_arrays()
    {
        var header = SodaFields.Parse("""["region",":updated_at","location","magnitude"]""", """["text","meta_data","Location","number"]""");

        Assert.Equal([("region", "text"), (":updated_at", "meta_data"), ("location", "location"), ("magnitude", "number")], header);
    }

    [Theory]
    [InlineData("[\"a\",\"b\"]", "[\"text\"]", "2 fields but")]
    [InlineData("[\"a\",\"a\"]", "[\"text\",\"text\"]", "twice")]
    [InlineData("[\"\"]", "[\"text\"]", "empty field name")]
    [InlineData("{\"a\":1}", "[\"text\"]", "not a JSON array")]
    [InlineData("[1]", "[\"text\"]", "Number")]
    [InlineData("[\"a\"", "[\"text\"]", "not valid JSON")]
    public void Malformed_headers_are_format_errors(string fields, string types, string expected)
    {
        var error = Assert.Throws<ServiceRequestsException>(() => SodaFields.Parse(fields, types));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Fuzz_mutated_headers_either_parse_or_fail_with_a_format_error()
    {
        var fields = Encoding.UTF8.GetBytes("""["id","status","created_at","location",":id","fee"]""");
        var types = Encoding.UTF8.GetBytes("""["text","text","floating_timestamp","point","row_identifier","money"]""");
        var random = new Random(77);
        for (var i = 0; i < 4000; i++)
        {
            var f = Mutate(fields, random);
            var t = Mutate(types, random);
            try
            {
                var header = SodaFields.Parse(f, t);
                var columns = SodaFields.Columns(header, PortalSchema.FrameColumns);
                Assert.Equal(columns.Count, columns.Select(c => c.Name).Distinct().Count());
                _ = new FrameBuilder(columns);
            }
            catch (ServiceRequestsException)
            {
            }
        }
    }

    private static string Mutate(byte[] source, Random random)
    {
        var bytes = source.ToArray();
        switch (random.Next(4))
        {
            case 0:
                bytes = bytes[..random.Next(bytes.Length + 1)];
                break;
            case 1:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(32, 127);
                break;
            case 2:
                var at = random.Next(bytes.Length);
                bytes = [.. bytes[..at], .. "\",[]:\\{"u8.ToArray()[random.Next(7)..][..1], .. bytes[at..]];
                break;
        }
        return Encoding.UTF8.GetString(bytes);
    }

    [Theory]
    [InlineData("text", "Text")]
    [InlineData("url", "Text")]
    [InlineData("row_identifier", "Text")]
    [InlineData("number", "Number")]
    [InlineData("money", "Number")]
    [InlineData("double", "Number")]
    [InlineData("floating_timestamp", "Timestamp")]
    [InlineData("calendar_date", "Timestamp")]
    [InlineData("fixed_timestamp", "Timestamp")]
    [InlineData("checkbox", "Boolean")]
    [InlineData("point", "Point")]
    [InlineData("location", "Point")]
    [InlineData("polygon", null)]
    [InlineData("photo", null)]
    public void Socrata_types_map_to_frame_types(string socrata, string? frame) => Assert.Equal(frame, SodaFields.FrameType(socrata)?.ToString());

    [Fact]
    public void Known_columns_keep_their_spec_when_the_type_fits_and_others_follow_in_header_order()
    {
        var header = SodaFields.Parse(
            """["fee","id","location","priority_code","council_district","shape","latitude"]""",
            """["money","text","point","number","text","polygon","number"]""");

        var columns = SodaFields.Columns(header, PortalSchema.FrameColumns);

        Assert.Equal(["id", "priority_code", "location", "fee", "council_district"], columns.Select(c => c.Name));
        Assert.Equal(ColumnType.Integer, columns[1].Type); // refined from the schema
        Assert.Equal(ColumnType.Text, columns[4].Type); // the header wins where the schema's type does not fit
        Assert.Equal(["latitude", "longitude"], columns[2].OutputNames); // so the header's own "latitude" is left out
        Assert.Throws<ServiceRequestsException>(() => SodaFields.Check(header, PortalSchema.FrameColumns, "test"));
    }
}
