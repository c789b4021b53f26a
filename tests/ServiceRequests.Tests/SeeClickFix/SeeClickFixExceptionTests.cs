using System.Net;
using ServiceRequests.SeeClickFix;

namespace ServiceRequests.Tests.SeeClickFix;

public class SeeClickFixExceptionTests
{
    [Fact]
    public void Carries_the_page_and_the_servers_message()
    {
        var e = new SeeClickFixException("text", HttpStatusCode.NotFound, 7, "not found");
        Assert.Equal(7, e.Page);
        Assert.Equal("not found", e.ServerMessage);
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
    }

    [Fact]
    public void Advice_differs_for_the_organization_and_the_public_endpoint()
    {
        Assert.Contains("organization id", SeeClickFixException.Advice(HttpStatusCode.NotFound, organization: true));
        Assert.Contains("check the place", SeeClickFixException.Advice(HttpStatusCode.NotFound, organization: false));
        Assert.Contains("resumes", SeeClickFixException.Advice(HttpStatusCode.ServiceUnavailable, organization: false));
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.BadGateway)]
    public void Advice_names_no_command_line_option_since_the_library_has_none(HttpStatusCode status)
    {
        Assert.DoesNotContain("--", SeeClickFixException.Advice(status, organization: true), StringComparison.Ordinal);
        Assert.DoesNotContain("--", SeeClickFixException.Advice(status, organization: false), StringComparison.Ordinal);
    }
}
