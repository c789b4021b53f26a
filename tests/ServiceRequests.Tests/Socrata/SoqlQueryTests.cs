using ServiceRequests.Socrata;

namespace ServiceRequests.Tests.Socrata;

public class SoqlQueryTests
{
    [Fact]
    public void Helpers_build_conditions_joined_by_AND()
    {
        var query = new SoqlQuery()
            .CreatedBetween(new DateTime(2026, 2, 1), new DateTime(2026, 3, 1))
            .RequestTypeIn("Potholes", "Tree Issue", "Potholes")
            .ChangedSince(new DateTimeOffset(2026, 3, 2, 6, 0, 0, TimeSpan.FromHours(-5)));

        Assert.Equal(
            "((created_at >= '2026-02-01T00:00:00.000' AND created_at < '2026-03-01T00:00:00.000') AND (request_type_title IN ('Potholes', 'Tree Issue'))) AND (:updated_at > '2026-03-02T11:00:00.000Z')",
            query.Where);
    }

    [Fact]
    public void Helpers_refuse_empty_or_reversed_input()
    {
        Assert.Throws<ArgumentException>(() => new SoqlQuery().RequestTypeIn());
        Assert.Throws<ArgumentException>(() => new SoqlQuery().CreatedBetween(new DateTime(2026, 3, 1), new DateTime(2026, 2, 1)));
        Assert.Throws<ArgumentException>(() => new SoqlQuery().CreatedBetween(new DateTime(2026, 2, 1), new DateTime(2026, 3, 1), "created_at; drop"));
        Assert.Throws<ArgumentException>(() => new SoqlQuery().And(" "));
    }

    [Fact]
    public void The_query_string_is_percent_encoded_and_reads_back()
    {
        var query = new SoqlQuery { Select = "id, status", Where = "status = 'A&B' AND x = '100%'", Order = "id DESC", Limit = 10, Offset = 20, Search = "pot hole" };

        var text = query.ToQueryString();

        Assert.Equal("$select=id%2C%20status&$where=status%20%3D%20%27A%26B%27%20AND%20x%20%3D%20%27100%25%27&$order=id%20DESC&$q=pot%20hole&$limit=10&$offset=20", text);
        Assert.Equal(query, SoqlQuery.Parse(text));
        Assert.Equal("$select=id, status $where=status = 'A&B' AND x = '100%' $order=id DESC $q=pot hole $limit=10 $offset=20", query.ToString());
        Assert.Equal("", new SoqlQuery().ToQueryString());
        Assert.Equal("(all rows)", new SoqlQuery().ToString());
    }

    [Fact]
    public void Simple_filters_in_an_address_become_conditions()
    {
        var query = SoqlQuery.Parse("?status=Closed&$where=priority_code%20%3E%202&request_type_title=O'Brien+Street");

        Assert.Equal("((priority_code > 2) AND (status = 'Closed')) AND (request_type_title = 'O''Brien Street')", query.Where);
    }

    [Theory]
    [InlineData("$query=SELECT *", "$query")]
    [InlineData("$$app_token=abc123", "SOCRATA_APP_TOKEN")]
    [InlineData("$limit=ten", "$limit")]
    [InlineData("$offset=-1", "$offset")]
    [InlineData("$group=status", "not supported")]
    [InlineData("$where=a&$where=b", "twice")]
    [InlineData("bad%20field=1", "not a field name")]
    public void Unsupported_or_unsafe_parameters_are_refused(string queryString, string expected)
    {
        var error = Assert.Throws<ServiceRequestsException>(() => SoqlQuery.Parse(queryString));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("abc123", error.Message);
    }
}
