using System.Text;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;
using ServiceRequests.Portal;
using ServiceRequests.Socrata;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Socrata;

public class SodaJsonReaderTests
{
    private const string Json = """
        [{"id":"1","status":"Open","created_at":"2017-03-05T14:02:11.000","council_district":"5","days_to_close":2.5,
          "location":{"type":"Point","coordinates":[-83.05,42.33]},":updated_at":"2017-03-06T00:00:00.000Z","extra":{"a":[1,2]}},
         {"id":"2","status":"Clos\u0065d","description":"He said \"hi\"\nbye","created_at":"2017-03-05T14:02:11Z",
          "location":{"latitude":"42.1","longitude":"-83.2","human_address":"{}"},"priority_code":"","canonical_issue_id":"123"},
         {"id":"3","created_at":"2017-07-01T08:00:00-04:00","location":"POINT (-83.5 42.5)","council_district":null}]
        """;

    private static DataFrame Load(string json, int chunk = 1 << 20)
    {
        var builder = new FrameBuilder(PortalSchema.FrameColumns);
        new SodaJsonReader(builder, "test.json").Read(new TrickleStream(Encoding.UTF8.GetBytes(json), chunk));
        return builder.ToDataFrame();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1 << 20)]
    public void Reads_values_whatever_the_chunking(int chunk)
    {
        var frame = Load(Json, chunk);

        Assert.Equal(3, frame.Rows.Count);
        Assert.Equal("1", frame["id"][0]);
        Assert.Equal("Closed", frame["status"][1]);
        Assert.Null(frame["status"][2]);
        Assert.Equal("He said \"hi\"\nbye", frame["description"][1]);
        Assert.Equal(new DateTime(2017, 3, 5, 14, 2, 11), frame["created_at"][0]);
        Assert.Equal(new DateTime(2017, 3, 5, 9, 2, 11), frame["created_at"][1]); // Z converted to Detroit time
        Assert.Equal(new DateTime(2017, 7, 1, 8, 0, 0), frame["created_at"][2]);
        Assert.Equal(5, frame["council_district"][0]);
        Assert.Null(frame["council_district"][2]);
        Assert.Equal(2.5, frame["days_to_close"][0]);
        Assert.Null(frame["priority_code"][1]); // empty string is null, not 0
        Assert.Equal(123L, frame["canonical_issue_id"][1]);
        Assert.Equal(42.33, frame["latitude"][0]);
        Assert.Equal(-83.05, frame["longitude"][0]);
        Assert.Equal(42.1, frame["latitude"][1]);
        Assert.Equal(-83.5, frame["longitude"][2]);
    }

    [Fact]
    public void A_url_object_gives_its_address_as_text()
    {
        var frame = Load("""[{"id":"1","web_url":{"url":"https://seeclickfix.com/issues/1","description":"Issue 1"}},{"id":"2","web_url":{"description":"none"}}]""");

        Assert.Equal("https://seeclickfix.com/issues/1", frame["web_url"][0]);
        Assert.Null(frame["web_url"][1]);
        Assert.Throws<ServiceRequestsException>(() => Load("""[{"id":"1","web_url":{"url":5}}]"""));
    }

    [Fact]
    public void An_empty_array_gives_no_rows()
    {
        Assert.Equal(0, Load("[]").Rows.Count);
        Assert.Equal(0, Load("  [ ]\n").Rows.Count);
    }

    [Fact]
    public void A_row_larger_than_the_buffer_is_read()
    {
        var description = new string('x', 300_000);
        var frame = Load($$"""[{"id":"1","description":"{{description}}"}]""", chunk: 4096);
        Assert.Equal(description, frame["description"][0]);
    }

    [Fact]
    public void A_bad_value_names_the_source_row_and_field()
    {
        var error = Assert.Throws<ServiceRequestsException>(() => Load("""[{"id":"1"},{"id":"2","council_district":"five"}]"""));
        Assert.Contains("test.json", error.Message);
        Assert.Contains("row 2", error.Message);
        Assert.Contains("council_district", error.Message);
        Assert.Contains("'five'", error.Message);
    }

    [Fact]
    public void An_error_body_instead_of_rows_is_shown()
    {
        var error = Assert.Throws<ServiceRequestsException>(() =>
            Load("""{"code":"query.compiler.malformed","error":true,"message":"Could not parse SoQL query"}"""));
        Assert.Contains("query.compiler.malformed", error.Message);
    }

    [Fact]
    public void Truncated_json_names_the_byte_offset()
    {
        var error = Assert.Throws<ServiceRequestsException>(() => Load("""[{"id":"1"},{"id":"2","sta"""));
        Assert.Contains("test.json", error.Message);
        Assert.Contains("byte", error.Message);
    }

    [Fact]
    public void Fuzz_mutated_input_either_loads_or_fails_with_a_format_error()
    {
        var valid = Encoding.UTF8.GetBytes(Json);
        var random = new Random(1234);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = valid.ToArray();
            switch (i % 3)
            {
                case 0:
                    bytes = bytes[..random.Next(bytes.Length)];
                    break;
                case 1:
                    for (var k = 0; k < 1 + random.Next(4); k++)
                    {
                        bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    }
                    break;
                default:
                    var at = random.Next(bytes.Length);
                    bytes = [.. bytes[..at], .. "\"{}[],:0-e."u8.ToArray()[random.Next(11)..][..1], .. bytes[at..]];
                    break;
            }
            try
            {
                var builder = new FrameBuilder(PortalSchema.FrameColumns);
                new SodaJsonReader(builder, "fuzz.json").Read(new TrickleStream(bytes, 1 + random.Next(64)));
                builder.ToDataFrame();
            }
            catch (ServiceRequestsException e)
            {
                Assert.StartsWith("fuzz.json", e.Message);
            }
        }
    }
}
