using ServiceRequests.ArcGis;
using ServiceRequests.Portal;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Tests.ArcGis;

public class FeatureQueryTests
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["address"] = "esriFieldTypeString",
        ["created_at"] = "esriFieldTypeDate",
    };

    [Fact]
    public void The_default_selects_everything_and_And_narrows_it()
    {
        var query = new FeatureQuery();
        Assert.Equal("1=1", query.Where);

        var narrowed = query.And("status = 'Open'").And("priority_code > 2");

        Assert.Equal("(status = 'Open') AND (priority_code > 2)", narrowed.Where);
        Assert.Equal(narrowed.Where, narrowed.ToString());
    }

    [Theory]
    [InlineData("Main St", "'Main St'")]
    [InlineData("O'Hara's", "'O''Hara''s'")]
    [InlineData("'; DROP TABLE x; --", "'''; DROP TABLE x; --'")]
    [InlineData("", "''")]
    public void Text_quotes_and_doubles_single_quotes(string value, string literal)
    {
        Assert.Equal(literal, FeatureQuery.Text(value));
    }

    [Fact]
    public void Text_literals_of_random_strings_are_read_back_as_the_same_value_and_nothing_more()
    {
        var random = new Random(71);
        const string alphabet = "ab' ()=<>-_;\"\\%*ÄЖ漢\t";
        for (var i = 0; i < 2000; i++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var where = FakeWhere.Parse($"address = {FeatureQuery.Text(value)}", Types);

            Assert.True(where(new Dictionary<string, object?> { ["address"] = value }), value);
            Assert.False(where(new Dictionary<string, object?> { ["address"] = value + "x" }), value);
        }
    }

    [Fact]
    public void Timestamps_are_UTC_literals_in_whole_seconds()
    {
        var detroit = CityTime.FromFloating(new DateTime(2026, 7, 4, 9, 30, 15, 750));

        Assert.Equal("timestamp '2026-07-04 13:30:15'", FeatureQuery.Timestamp(detroit));
        Assert.Equal("timestamp '2026-01-04 14:30:00'", FeatureQuery.Timestamp(CityTime.FromFloating(new DateTime(2026, 1, 4, 9, 30, 0))));
    }

    [Fact]
    public void CreatedBetween_is_half_open_and_rounds_the_end_up_to_a_whole_second()
    {
        var from = new DateTimeOffset(2026, 3, 1, 5, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2026, 3, 8, 5, 0, 0, 250, TimeSpan.Zero);

        Assert.Equal("(created_at >= timestamp '2026-03-01 05:00:00') AND (created_at < timestamp '2026-03-08 05:00:01')",
            new FeatureQuery().CreatedBetween(from, to).Where);
        Assert.Equal("created_at < timestamp '2026-03-08 05:00:01'", new FeatureQuery().CreatedBetween(null, to).Where);
        Assert.Equal("1=1", new FeatureQuery().CreatedBetween(null, null).Where);
        Assert.Throws<ArgumentException>(() => new FeatureQuery().CreatedBetween(to, from));
    }

    [Fact]
    public void The_date_helpers_use_the_mapped_fields()
    {
        var mapping = FeatureFieldMapping.Detroit.With(PortalSchema.UpdatedAt, "EditDate").With(PortalSchema.CreatedAt, null);
        var since = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal("EditDate >= timestamp '2026-05-01 00:00:00'", new FeatureQuery().UpdatedSince(since, mapping).Where);
        var error = Assert.Throws<ServiceRequestsException>(() => new FeatureQuery().CreatedBetween(since, null, mapping));
        Assert.Contains("created_at", error.Message);
    }

    [Fact]
    public void A_date_range_selects_the_features_in_it_on_the_fake_layer()
    {
        var where = FakeWhere.Parse(new FeatureQuery().CreatedBetween(
            new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero)).Where, Types);
        long Ms(int day, int hour) => new DateTimeOffset(2026, 1, day, hour, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

        Assert.True(where(new Dictionary<string, object?> { ["created_at"] = Ms(1, 0) }));
        Assert.True(where(new Dictionary<string, object?> { ["created_at"] = Ms(1, 23) }));
        Assert.False(where(new Dictionary<string, object?> { ["created_at"] = Ms(2, 0) }));
        Assert.False(where(new Dictionary<string, object?> { ["created_at"] = null }));
    }
}
