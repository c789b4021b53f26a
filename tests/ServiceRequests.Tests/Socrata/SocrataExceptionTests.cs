using System.Net;
using System.Text;
using ServiceRequests.Socrata;

namespace ServiceRequests.Tests.Socrata;

public class SocrataExceptionTests
{
    private static Task<SocrataException> From(HttpStatusCode status, string body, SoqlQuery? query = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        return SocrataException.FromResponseAsync(response, "GET https://data.example.org/resource/abcd-1234.json", query,
            text => text.Replace("s3cret", "***", StringComparison.Ordinal), CancellationToken.None);
    }

    [Fact]
    public async Task Socratas_error_body_gives_code_message_query_and_advice()
    {
        var error = await From(HttpStatusCode.BadRequest,
            """{"code": "query.compiler.malformed", "error": true, "message": "Could not parse SoQL query \"status = \" at line 1 character 10", "data": {}}""",
            new SoqlQuery { Where = "status = " });

        Assert.Equal("query.compiler.malformed", error.Code);
        Assert.StartsWith("Could not parse SoQL query", error.ServerMessage);
        Assert.Equal("$where=status = ", error.Query);
        Assert.Equal(
            "Socrata answered HTTP 400 Bad Request (query.compiler.malformed) to GET https://data.example.org/resource/abcd-1234.json: " +
            "Could not parse SoQL query \"status = \" at line 1 character 10. Query: $where=status = . " +
            "Fix the SoQL ($select, $where, $order): field names must exist in the dataset and text values need single quotes.",
            error.Message);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, "SOCRATA_USERNAME")]
    [InlineData(HttpStatusCode.Forbidden, "administrator")]
    [InlineData(HttpStatusCode.NotFound, "dataset id")]
    [InlineData(HttpStatusCode.TooManyRequests, "SOCRATA_APP_TOKEN")]
    [InlineData(HttpStatusCode.BadGateway, "Try again later")]
    public async Task Each_status_says_what_to_do(HttpStatusCode status, string advice)
    {
        var error = await From(status, """{"errorCode": "some.code", "message": "m"}""");
        Assert.Contains(advice, error.Message);
        Assert.Equal("some.code", error.Code);
        Assert.Equal(status, error.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_Socratas_json_is_shown_shortened_and_scrubbed()
    {
        var error = await From(HttpStatusCode.BadGateway, "<html>proxy error for token s3cret " + new string('x', 500) + "</html>");

        Assert.Null(error.Code);
        Assert.Contains("<html>proxy error for token ***", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
        Assert.True(error.ServerMessage!.Length <= 301);
    }
}
