using System.Net;
using System.Text.Json;
using ServiceRequests.ArcGis;

namespace ServiceRequests.Tests.ArcGis;

public class ArcGisExceptionTests
{
    private static string Scrub(string text) => text.Replace("tok-9", "***", StringComparison.Ordinal);

    [Fact]
    public void An_error_body_gives_code_message_details_request_where_and_advice()
    {
        using var json = JsonDocument.Parse("""{"code":400,"message":"Unable to complete operation.","details":["'where' parameter is invalid"]}""");

        var error = ArcGisException.FromError(json.RootElement, HttpStatusCode.OK, "query of https://host/x/FeatureServer/0 (page 2)", "status = Open", Scrub);

        Assert.Equal(400, error.Code);
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.Equal("Unable to complete operation.", error.ServerMessage);
        Assert.Equal(
            "ArcGIS answered error 400 to the query of https://host/x/FeatureServer/0 (page 2): Unable to complete operation. " +
            "Details: 'where' parameter is invalid. Where: status = Open. Check the where clause: field names must exist in the layer, " +
            "text values need single quotes (FeatureQuery.Text) and dates the form timestamp 'YYYY-MM-DD HH:MM:SS' (FeatureQuery.Timestamp).",
            error.Message);
    }

    [Theory]
    [InlineData(498, "ARCGIS_TOKEN")]
    [InlineData(499, "ARCGIS_TOKEN")]
    [InlineData(404, "/FeatureServer/<layer number>")]
    [InlineData(500, "Try again later")]
    public void The_advice_follows_the_code(int code, string advice)
    {
        using var json = JsonDocument.Parse($$"""{"code":{{code}},"message":"m"}""");

        Assert.Contains(advice, ArcGisException.FromError(json.RootElement, HttpStatusCode.OK, "query", null, Scrub).Message);
    }

    [Fact]
    public void An_HTTP_error_uses_an_error_body_when_there_is_one_and_the_text_otherwise()
    {
        var fromJson = ArcGisException.FromHttp(HttpStatusCode.BadGateway, "Bad Gateway",
            """{"error":{"code":502,"message":"upstream tok-9 failed"}}""", "query", null, Scrub);
        var fromText = ArcGisException.FromHttp(HttpStatusCode.TooManyRequests, "Too Many Requests", "<html>" + new string('x', 400) + "</html>", "query", null, Scrub);
        var empty = ArcGisException.FromHttp(HttpStatusCode.ServiceUnavailable, "Service Unavailable", "", "query", null, Scrub);

        Assert.Equal("upstream *** failed", fromJson.ServerMessage);
        Assert.StartsWith("ArcGIS answered HTTP 502 to the query: upstream *** failed.", fromJson.Message);
        Assert.Equal(429, fromText.Code);
        Assert.EndsWith("…", fromText.ServerMessage);
        Assert.Contains("throttling", fromText.Message);
        Assert.Equal("Service Unavailable", empty.ServerMessage);
    }
}
