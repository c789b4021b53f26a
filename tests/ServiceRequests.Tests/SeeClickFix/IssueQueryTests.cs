using ServiceRequests.SeeClickFix;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Tests.SeeClickFix;

public class IssueQueryTests
{
    private static readonly Uri Root = new("https://seeclickfix.com/api/v2/");

    [Fact]
    public void The_public_list_asks_for_all_statuses_sorted_by_updated_at_ascending_at_100_per_page()
    {
        var uri = new IssueQuery { Place = "detroit", UpdatedAfter = new DateTimeOffset(2026, 3, 8, 1, 30, 15, TimeSpan.FromHours(-5)) }.ToUri(Root, 3);
        Assert.Equal(
            "https://seeclickfix.com/api/v2/issues?place_url=detroit&status=open%2Cacknowledged%2Cclosed%2Carchived&sort=updated_at&sort_direction=ASC" +
            "&updated_at_after=2026-03-08T06%3A30%3A15Z&page=3&per_page=100", uri.AbsoluteUri);
    }

    [Fact]
    public void The_organization_list_with_details_asks_for_20_per_page_and_every_filter()
    {
        var t = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var query = new IssueQuery
        {
            Organization = 507, Details = true, SortByUpdated = false, Ascending = false, Statuses = [IssueStatus.Open],
            CreatedAfter = t, CreatedBefore = t, UpdatedBefore = t, RequestTypes = [6000, 22880],
        };
        var text = Uri.UnescapeDataString(query.ToUri(Root).AbsoluteUri);
        Assert.StartsWith("https://seeclickfix.com/api/v2/organizations/507/issues?status=open&sort=created_at&sort_direction=DESC", text);
        Assert.Contains("updated_at_before=2026-01-02T03:04:05Z&after=2026-01-02T03:04:05Z&before=2026-01-02T03:04:05Z&request_types=6000,22880&details=true&page=1&per_page=20", text);
        Assert.Equal(20, query.PerPage);
        Assert.Equal("organization 507", query.Source);
    }

    [Fact]
    public void A_query_without_a_source_or_statuses_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new IssueQuery().ToUri(Root));
        Assert.Throws<InvalidOperationException>(() => new IssueQuery { Place = "detroit", Statuses = [] }.ToUri(Root));
        Assert.Throws<ArgumentOutOfRangeException>(() => new IssueQuery { Place = "detroit" }.ToUri(Root, 0));
    }
}
