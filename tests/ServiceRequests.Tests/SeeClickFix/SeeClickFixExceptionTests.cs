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
        Assert.Contains("--organization", SeeClickFixException.Advice(HttpStatusCode.NotFound, organization: true));
        Assert.Contains("--place", SeeClickFixException.Advice(HttpStatusCode.NotFound, organization: false));
        Assert.Contains("resumes", SeeClickFixException.Advice(HttpStatusCode.ServiceUnavailable, organization: false));
    }
}
