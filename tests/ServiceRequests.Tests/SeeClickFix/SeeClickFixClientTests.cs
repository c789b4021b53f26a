using System.Net;
using Microsoft.AspNetCore.Http;
using ServiceRequests.SeeClickFix;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Sync;

namespace ServiceRequests.Tests.SeeClickFix;

public class SeeClickFixClientTests
{
    [Fact]
    public async Task Reads_a_page_of_the_public_endpoint_with_a_user_agent_and_its_metadata()
    {
        await using var h = await SyncHarness.StartAsync(130);
        using var client = h.Client();
        var page = await client.GetPageAsync(new IssueQuery { Place = FakeSeeClickFix.Place });
        Assert.Equal(100, page.Issues.Count);
        Assert.Equal(130, page.Entries);
        Assert.Equal(2, page.Pages);
        Assert.Equal(30, page.Remaining);
        Assert.NotNull(page.NextPageUrl);
        var last = await client.GetPageAsync(page.NextPageUrl!, 2, organization: false);
        Assert.Equal(30, last.Issues.Count);
        Assert.Null(last.NextPageUrl);
        Assert.All(h.Fake.Requests, r => Assert.StartsWith("ServiceRequests-sync/", r.UserAgent));
        Assert.Equal(2, client.RequestsSent);
        Assert.Equal(new Uri(h.Fake.BaseAddress, "api/v2/"), client.ApiRoot);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "SCF_TOKEN")]
    [InlineData(HttpStatusCode.Forbidden, "rate limit")]
    [InlineData(HttpStatusCode.NotFound, "check the organization id")]
    public async Task Refusals_name_the_status_the_page_and_what_to_do_without_the_token(HttpStatusCode status, string advice)
    {
        await using var h = await SyncHarness.StartAsync(10);
        h.Fake.Intercept = async (context, _) =>
        {
            context.Response.StatusCode = (int)status;
            await context.Response.WriteAsync("{\"errors\": {\"base\": [\"refused for " + FakeSeeClickFix.Token + "\"]}}");
            return true;
        };
        using var client = h.Client(FakeSeeClickFix.Token);
        var error = await Assert.ThrowsAsync<SeeClickFixException>(() => client.GetPageAsync(new IssueQuery { Organization = 507 }, 3));
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(3, error.Page);
        Assert.Contains($"HTTP {(int)status}", error.Message);
        Assert.Contains("(page 3)", error.Message);
        Assert.Contains(advice, error.Message);
        Assert.DoesNotContain(FakeSeeClickFix.Token, error.Message);
        Assert.Contains("***", error.Message);
        Assert.Equal("Bearer " + FakeSeeClickFix.Token, h.Fake.Requests.Single().Authorization);
    }

    [Fact]
    public async Task Basic_credentials_reach_the_organization_endpoint()
    {
        await using var h = await SyncHarness.StartAsync(10);
        using var client = new SeeClickFixClient(h.Fake.BaseAddress, new SeeClickFixOptions
        {
            Token = null,
            Credentials = new NetworkCredential(FakeSeeClickFix.User, FakeSeeClickFix.Password),
            RequestsPerMinute = 600_000,
            Retry = h.Retry.Options(),
        });
        var page = await client.GetPageAsync(new IssueQuery { Organization = FakeSeeClickFix.Organization });
        Assert.Equal(10, page.Issues.Count);
        Assert.NotNull(page.Issues[0].Reporter?.Email);
        Assert.DoesNotContain(FakeSeeClickFix.Password, client.Options.ToString());
    }

    [Fact]
    public async Task A_malformed_page_names_the_page_and_the_byte_offset()
    {
        await using var h = await SyncHarness.StartAsync(10);
        h.Fake.Intercept = async (context, _) =>
        {
            await context.Response.WriteAsync("""{"issues": [{"id": 5,, }]}""");
            return true;
        };
        using var client = h.Client();
        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.GetPageAsync(new IssueQuery { Place = "detroit" }, 4));
        Assert.Contains("page 4", error.Message);
        Assert.Matches("malformed JSON at byte 2[01] of 26", error.Message);
    }

    [Fact]
    public async Task A_page_shorter_than_its_metadata_promises_is_an_error()
    {
        await using var h = await SyncHarness.StartAsync(10);
        h.Fake.Intercept = async (context, _) =>
        {
            await context.Response.WriteAsync("""{"issues": [], "metadata": {"pagination": {"entries": 250, "page": 1, "per_page": 100, "pages": 3, "next_page_url": "/api/v2/issues?page=2"}}}""");
            return true;
        };
        using var client = h.Client();
        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.GetPageAsync(new IssueQuery { Place = "detroit" }));
        Assert.Contains("holds 0 issues", error.Message);
        Assert.Contains("says 100", error.Message);
    }

    [Fact]
    public async Task A_next_page_on_another_host_is_refused_so_credentials_never_leave()
    {
        await using var h = await SyncHarness.StartAsync(10);
        using var client = h.Client(FakeSeeClickFix.Token);
        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.GetPageAsync(new Uri("http://attacker.example/api/v2/issues?page=2"), 2, false));
        Assert.Contains("refusing to send credentials", error.Message);
        Assert.Empty(h.Fake.Requests);
    }

    [Fact]
    public async Task Too_many_requests_is_retried_after_the_servers_wait_and_then_reported()
    {
        await using var h = await SyncHarness.StartAsync(10);
        h.Fake.Intercept = async (context, _) =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "3";
            await context.Response.WriteAsync("""{"message": "Too Many Requests"}""");
            return true;
        };
        using var client = h.Client();
        var error = await Assert.ThrowsAsync<SeeClickFixException>(() => client.GetPageAsync(new IssueQuery { Place = "detroit" }));
        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Contains("Too Many Requests", error.Message);
        Assert.Equal(8, h.Fake.RequestCount);
        Assert.All(h.Retry.Waits, w => Assert.Equal(TimeSpan.FromSeconds(3), w));
    }

    [Fact]
    public void Addresses_with_credentials_or_other_schemes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SeeClickFixClient(new Uri("https://user:pw@seeclickfix.com")));
        Assert.Throws<ArgumentException>(() => new SeeClickFixClient(new Uri("ftp://seeclickfix.com")));
        using var client = new SeeClickFixClient(new Uri("https://seeclickfix.com/api/v2"), new SeeClickFixOptions { Token = null, Credentials = null });
        Assert.Equal("https://seeclickfix.com/api/v2/", client.ApiRoot.ToString());
        Assert.Equal(TimeSpan.FromSeconds(3), client.RequestInterval);
    }

    [Fact]
    public async Task Credentials_never_travel_over_plain_http_to_another_machine()
    {
        using var client = new SeeClickFixClient(new Uri("http://seeclickfix.example"), new SeeClickFixOptions { Token = FakeSeeClickFix.Token, Credentials = null });
        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.GetPageAsync(new IssueQuery { Place = "detroit" }));
        Assert.Contains("Refusing to send credentials unencrypted", error.Message);
        Assert.Equal(0, client.RequestsSent);
    }
}
