using ServiceRequests.SeeClickFix;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Tests.SeeClickFix;

public class IssuePageTests
{
    private static readonly Uri Address = new("https://seeclickfix.com/api/v2/issues?page=2");

    [Theory]
    [InlineData(250, 1, 100, 150)]
    [InlineData(250, 2, 100, 50)]
    [InlineData(250, 3, 50, 0)]
    [InlineData(0, 1, 0, 0)]
    public void Remaining_counts_the_issues_after_this_page(long entries, int page, int onPage, long remaining)
    {
        var issues = Enumerable.Range(0, onPage).Select(i => new ServiceRequest
        {
            Id = i, Status = IssueStatus.Open, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        }).ToList();
        Assert.Equal(remaining, new IssuePage(Address, issues, entries, page, 100, 3, null).Remaining);
    }
}
