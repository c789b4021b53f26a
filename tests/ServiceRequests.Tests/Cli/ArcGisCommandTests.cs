using Microsoft.AspNetCore.Http;
using ServiceRequests.ArcGis;
using ServiceRequests.Cli;
using ServiceRequests.Portal;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;
using static ServiceRequests.Tests.Infrastructure.CliRun;

namespace ServiceRequests.Tests.Cli;

[Collection(EnvironmentCollection.Name)]
public class ArcGisCommandTests
{
    private const string Token = "cli-esri-token-31337";

    private static Dictionary<string, object?> Feature(long id, int day) => new()
    {
        ["issue_id"] = id,
        ["status"] = "Open",
        ["created_at"] = new DateTimeOffset(2026, 4, day, 16, 0, 0, TimeSpan.Zero),
        ["updated_at"] = new DateTimeOffset(2026, 4, day, 16, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task Writes_the_layer_as_portal_JSON_with_progress_and_the_token_from_the_environment()
    {
        using var _ = new EnvironmentVariables((FeatureLayerOptions.TokenVariable, Token));
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.RequiredToken = Token;
        fake.MaxRecordCount = 2;
        fake.Add(Enumerable.Range(1, 5).Select(i => Feature(i, i)));
        using var folder = new TempFolder();
        var path = folder.File("layer.json.gz");

        var (code, output, error) = await Run("arcgis", "--layer", fake.Layer.ToString(), "--updated-since", "2026-04-02T12:00", "--out", path);

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("page 2: 2 features (4 of 4)", output);
        Assert.Contains("Wrote 4 issues", output);
        Assert.DoesNotContain(Token, output);
        var frame = IssueData.LoadFile(path);
        Assert.Equal(["2", "3", "4", "5"], frame[PortalSchema.Id].Cast<string>());
        Assert.Equal(new DateTime(2026, 4, 2, 12, 0, 0), frame[PortalSchema.CreatedAt][0]);
    }

    [Fact]
    public async Task A_retried_request_is_reported_on_standard_error_while_the_pull_goes_on()
    {
        using var _ = new EnvironmentVariables((FeatureLayerOptions.TokenVariable, null));
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.Add(Enumerable.Range(1, 3).Select(i => Feature(i, i)));
        fake.Intercept = async (context, number) =>
        {
            if (number != 1)
            {
                return false;
            }
            context.Response.StatusCode = 503;
            context.Response.Headers.RetryAfter = "0";
            await context.Response.WriteAsync("busy");
            return true;
        };
        using var folder = new TempFolder();

        var (code, output, error) = await Run("arcgis", "--layer", fake.Layer.ToString(), "--out", folder.File("layer.json"));

        Assert.Equal(0, code);
        Assert.Contains("Wrote 3 issues", output);
        Assert.Contains("retrying in", error);
        Assert.Contains("503", error);
    }

    [Fact]
    public async Task A_refused_query_gives_one_line_and_no_file()
    {
        using var _ = new EnvironmentVariables((FeatureLayerOptions.TokenVariable, null));
        await using var fake = await FakeFeatureServer.StartAsync();
        using var folder = new TempFolder();
        var path = folder.File("x.json");

        var (code, _, error) = await Run("arcgis", "--layer", fake.Layer.ToString(), "--where", "status = Open", "--out", path);

        Assert.Equal(CommandLine.Failure, code);
        Assert.StartsWith("error: ArcGIS answered error 400", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(path));
    }
}
