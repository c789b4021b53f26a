using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using ServiceRequests.ArcGis;
using ServiceRequests.Frames;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.ArcGis;

public class FeaturePageReaderTests
{
    private static readonly ColumnSpec[] Columns =
    [
        new("id", ColumnType.Text),
        new("created_at", ColumnType.Timestamp),
        new("days", ColumnType.Number),
        new("district", ColumnType.Integer),
        new("dup", ColumnType.Long),
    ];

    private static readonly (string Field, int Column, bool IsDate)[] Fields =
        [("issue_id", 0, false), ("created_at", 1, true), ("num_days", 2, false), ("council_district", 3, false), ("dup", 4, false)];

    private static (FeaturePageReader.Page Page, DataFrame Frame) Read(string json)
    {
        var builder = new FrameBuilder(Columns);
        var page = new FeaturePageReader(builder, Fields, "layer (page 1)", CityTime.Detroit).Read(Encoding.UTF8.GetBytes(json));
        return (page, builder.ToDataFrame());
    }

    [Fact]
    public void A_page_fills_typed_columns_and_skips_what_is_not_mapped()
    {
        var (page, frame) = Read("""
            {"objectIdFieldName":"ObjectId","fields":[{"name":"x","type":"esriFieldTypeString"}],
             "features":[
              {"attributes":{"ObjectId":1,"issue_id":17000001,"created_at":1767625200000,"num_days":2.5,"council_district":"4","dup":17000000,"other":{"a":[1]}},"geometry":{"x":-83.0,"y":42.3}},
              {"geometry":null,"attributes":{"issue_id":"A\u00e9-2","created_at":null,"num_days":null,"council_district":3,"dup":1.7e7}},
              {"attributes":{"issue_id":17000003.0}},
              {"attributes":null}
             ],
             "exceededTransferLimit":true}
            """);

        Assert.Equal(4, page.Rows);
        Assert.True(page.ExceededTransferLimit);
        Assert.Null(page.Error);
        Assert.Equal(["17000001", "Aé-2", "17000003", null], frame["id"].Cast<string?>());
        Assert.Equal(new DateTime(2026, 1, 5, 10, 0, 0), frame["created_at"][0]);
        Assert.Null(frame["created_at"][1]);
        Assert.Equal(2.5, frame["days"][0]);
        Assert.Equal(4, frame["district"][0]);
        Assert.Equal(3, frame["district"][1]);
        Assert.Equal(17_000_000L, frame["dup"][1]);
    }

    [Fact]
    public void A_last_page_without_the_flag_and_an_error_body_are_told_apart()
    {
        Assert.False(Read("""{"features":[]}""").Page.ExceededTransferLimit);
        var error = Read("""{"error":{"code":400,"message":"bad","details":["x"]}}""").Page.Error;
        Assert.Equal("bad", error!.Value.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("""{"features":[{"attributes":{"created_at":"2026-01-01"}}]}""", "feature 1, field 'created_at' (column 'created_at', byte 28): cannot read \"2026-01-01\" as a date")]
    [InlineData("""{"features":[{"attributes":{"issue_id":1}},{"attributes":{"council_district":"four"}}]}""", "feature 2, field 'council_district'")]
    [InlineData("""{"features":[{"attributes":{"council_district":2.5}}]}""", "field 'council_district'")]
    [InlineData("""{"features":[{"attributes":{"issue_id":[1]}}]}""", "cannot read an array as Text")]
    [InlineData("""{"features":[{"attributes":{"created_at":1e300}}]}""", "field 'created_at'")]
    [InlineData("""{"features":[1]}""", "expected a feature object")]
    [InlineData("""{"features":{}}""", "'features' is StartObject")]
    [InlineData("""{"count":3}""", "neither 'features' nor 'error'")]
    [InlineData("""[]""", "expected a query answer")]
    [InlineData("", "does not contain any JSON tokens")]
    [InlineData("""{"features":[]} {}""", "invalid after a single JSON value")]
    [InlineData("""{"features":[{"attributes":{"issue_id":1}""", "malformed query answer at byte")]
    [InlineData("""{"features":[],"exceededTransferLimit":"yes"}""", "'exceededTransferLimit' is String")]
    public void Bad_pages_are_format_errors_naming_page_feature_field_and_byte(string json, string what)
    {
        var error = Assert.Throws<ServiceRequestsException>(() => Read(json));

        Assert.StartsWith("layer (page 1): ", error.Message);
        Assert.True(error.Message.Contains(what, StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public void Fuzz_mutated_pages_either_read_or_fail_with_a_format_error()
    {
        var random = new Random(2026);
        var valid = Page(random, 30);
        Read(valid);
        var bytes = Encoding.UTF8.GetBytes(valid);
        for (var i = 0; i < 3000; i++)
        {
            var mutated = JsonMutations.Mutate(bytes, random, JsonMutations.Noise);
            try
            {
                var builder = new FrameBuilder(Columns);
                var page = new FeaturePageReader(builder, Fields, "layer (page 1)", CityTime.Detroit).Read(mutated);
                Assert.True(page.Error is not null || page.Rows == builder.RowCount);
                builder.ToDataFrame();
            }
            catch (ServiceRequestsException e)
            {
                Assert.StartsWith("layer (page 1): ", e.Message);
            }
        }
    }

    [Fact]
    public void Fuzz_generated_pages_read_back_every_value()
    {
        var random = new Random(17);
        for (var round = 0; round < 50; round++)
        {
            var rows = random.Next(0, 40);
            var expected = Enumerable.Range(0, rows).Select(_ => (
                Id: random.Next(3) == 0 ? null : $"i{random.Next()}\"'\\{(char)random.Next(0x20, 0x3000)}",
                Ms: random.Next(3) == 0 ? (long?)null : random.NextInt64(0, 4_102_444_800_000),
                Days: random.Next(3) == 0 ? (double?)null : Math.Round(random.NextDouble() * 400, random.Next(0, 6)))).ToList();
            var json = new StringBuilder("""{"fields":[],"features":[""");
            for (var i = 0; i < rows; i++)
            {
                var (id, ms, days) = expected[i];
                json.Append(i == 0 ? "" : ",").Append("{\"attributes\":{");
                json.Append("\"issue_id\":").Append(id is null ? "null" : System.Text.Json.JsonSerializer.Serialize(id));
                json.Append(",\"created_at\":").Append(ms?.ToString(CultureInfo.InvariantCulture) ?? "null");
                json.Append(",\"num_days\":").Append(days?.ToString("R", CultureInfo.InvariantCulture) ?? "null");
                json.Append("}}");
            }
            json.Append("]}");

            var (page, frame) = Read(json.ToString());

            Assert.Equal(rows, page.Rows);
            for (var i = 0; i < rows; i++)
            {
                Assert.Equal(expected[i].Id, frame["id"][i]);
                Assert.Equal(expected[i].Ms is { } ms ? CityTime.ToFloating(DateTimeOffset.FromUnixTimeMilliseconds(ms)) : null, frame["created_at"][i]);
                Assert.Equal(expected[i].Days, frame["days"][i]);
            }
        }
    }

    private static string Page(Random random, int rows)
    {
        var json = new StringBuilder("""{"objectIdFieldName":"ObjectId","features":[""");
        for (var i = 0; i < rows; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                $$$"""{"attributes":{"ObjectId":{{{i + 1}}},"issue_id":{{{17_000_000 + i}}},"created_at":{{{1_700_000_000_000L + random.Next() * 1000L}}},"num_days":{{{random.NextDouble() * 30:R}}},"council_district":{{{random.Next(1, 8)}}},"dup":null},"geometry":{"x":-83.1,"y":42.4}}""");;
        }
        return json.Append("""],"exceededTransferLimit":true}""").ToString();
    }
}
