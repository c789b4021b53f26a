using ServiceRequests.Http;

namespace ServiceRequests.Tests.Http;

public class SafeUriTests
{
    [Theory]
    [InlineData("https://user:pw@example.com/a?b=1", "https://example.com/a?b=1")]
    [InlineData("https://example.com/r.json?$limit=5&app_token=SECRET", "https://example.com/r.json?$limit=5&app_token=***")]
    [InlineData("https://example.com/x?api_key=k&password=p&page=3", "https://example.com/x?api_key=***&password=***&page=3")]
    public void Removes_credentials(string input, string expected)
    {
        Assert.Equal(expected, SafeUri.Of(new Uri(input)));
    }

    [Fact]
    public void Handles_missing_and_relative_addresses()
    {
        Assert.Equal("(no address)", SafeUri.Of(null));
        Assert.Equal("issues?page=2", SafeUri.Of(new Uri("issues?page=2", UriKind.Relative)));
    }
}
