using System.Text.Json;
using Microsoft.Data.Analysis;
using ServiceRequests.Geo;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix;
using ServiceRequests.SeeClickFix.Model;
using ServiceRequests.Sync;
using ServiceRequests.Tests.Geo;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;
using static ServiceRequests.Tests.Infrastructure.CliRun;

namespace ServiceRequests.Tests.Sync;

/// <summary>
/// Sync against the local SeeClickFix server with Detroit coordinates: every issue inside the city
/// gets its 2026 council district in the public export, every other one stays empty and is counted.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public class SyncPlacesTests
{
    // Fixed places for the first issues; the rest keep the generator's points.
    private static readonly (double? Lat, double? Lng, int? District)[] Places =
    [
        (42.3314, -83.0458, 6),      // downtown
        (42.3415, -82.9780, 5),      // Belle Isle
        (42.3928, -83.0496, null),   // Hamtramck
        (42.4056, -83.0977, null),   // Highland Park
        (42.3000, -83.0200, null),   // Windsor, Ontario
        (42.4730, -83.2210, null),   // Southfield
        (null, null, null),          // no coordinates
        (0, 0, null),                // a (0, 0) some apps send
    ];

    private static List<ServiceRequest> Issues(int count)
    {
        var issues = FakeSeeClickFix.Generate(count, seed: 14).ToList();
        for (var i = 0; i < Places.Length; i++)
        {
            issues[i] = issues[i] with { Lat = Places[i].Lat, Lng = Places[i].Lng };
        }
        return issues;
    }

    private static DataFrame PublicRows(string store) => IssueData.LoadFile(Path.Combine(store, StoreLayout.PublicJson));

    private static int? DistrictOf(ServiceRequest issue) =>
        issue.Lat is { } lat && issue.Lng is { } lng && BoundaryLayer.CouncilDistricts2026.Locate(lng, lat) is { } d ? int.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : null;

    [Fact]
    public async Task Sync_fills_the_2026_council_district_of_every_issue_inside_the_city_and_counts_the_rest()
    {
        var issues = Issues(300);
        await using var fake = await FakeSeeClickFix.StartAsync(issues);
        using var folder = new TempFolder();
        var retry = new FastRetry();
        using var client = new SeeClickFixClient(fake.BaseAddress, new SeeClickFixOptions { RequestsPerMinute = 600_000, Credentials = null, Token = null, Retry = retry.Options() });

        var report = await new IssueSync(client, new IssueQuery { Place = FakeSeeClickFix.Place }).RunAsync(folder.Path);

        var rows = PublicRows(folder.Path);
        var district = new Dictionary<string, int?>();
        for (long r = 0; r < rows.Rows.Count; r++)
        {
            district[(string)rows[PortalSchema.Id][r]] = (int?)rows[PortalSchema.CouncilDistrict][r];
        }
        Assert.Equal(issues.Count, district.Count);
        for (var i = 0; i < Places.Length; i++)
        {
            Assert.Equal(Places[i].District, district[issues[i].Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        var inside = issues.Where(i => DistrictOf(i) is not null).ToList();
        Assert.True(inside.Count > 250, "most generated issues are inside the city");
        Assert.All(issues, i => Assert.Equal(DistrictOf(i), district[i.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]));
        // Redacted types lose their location in public, not their district.
        Assert.Contains(issues, i => PublicRedaction.Default.IsRedacted(i.RequestType?.Title) && DistrictOf(i) is not null);

        Assert.Equal(inside.Count, report.InDistrict);
        Assert.Equal(issues.Count(i => i.Lat is not null && i.Lng is not null) - inside.Count, report.OutsideDistricts);
        Assert.Equal(1, report.WithoutCoordinates);
        Assert.Null(report.InNeighborhood);
        Assert.All(Enumerable.Range(0, (int)rows.Rows.Count), r => Assert.Null(rows[PortalSchema.Neighborhood][r]));
        using var line = JsonDocument.Parse(File.ReadLines(Path.Combine(folder.Path, StoreLayout.RunLogFile)).Last());
        Assert.Equal(report.InDistrict, line.RootElement.GetProperty("in_district").GetInt64());
        Assert.Equal(report.OutsideDistricts, line.RootElement.GetProperty("outside_districts").GetInt64());
        Assert.Equal(1, line.RootElement.GetProperty("no_coordinates").GetInt64());
        Assert.False(line.RootElement.TryGetProperty("in_neighborhood", out _));
    }

    [Fact]
    public async Task The_sync_command_fills_neighborhoods_from_a_file_and_prints_the_counts()
    {
        var issues = Issues(120);
        await using var fake = await FakeSeeClickFix.StartAsync(issues);
        using var folder = new TempFolder();
        var nhoods = folder.File("nhoods.geojson");
        // Downtown as a box around Campus Martius; the rest of the city is in no neighborhood of this file.
        File.WriteAllText(nhoods, BoundaryLayerTests.Collection(
            """{"type":"Feature","properties":{"nhood_name":"Downtown"},"geometry":{"type":"Polygon","coordinates":[[[-83.06,42.32],[-83.03,42.32],[-83.03,42.34],[-83.06,42.34],[-83.06,42.32]]]}}"""));
        var store = Path.Combine(folder.Path, "store");

        var (code, output, error) = await Run("sync", "--base-url", fake.BaseAddress.ToString(), "--place", FakeSeeClickFix.Place, "--out", store,
            "--requests-per-minute", "600000", "--neighborhoods", nhoods);

        Assert.True(code == 0, error);
        var inside = issues.Count(i => DistrictOf(i) is not null);
        var downtown = issues.Count(i => i.Lat is > 42.32 and < 42.34 && i.Lng is > -83.06 and < -83.03);
        Assert.Contains($"Places: {inside:N0} in a council district (2026 plan), {issues.Count - 1 - inside:N0} outside every district (beyond the city limits, Hamtramck, Highland Park), 1 without coordinates; {downtown:N0} in a neighborhood.", output);
        var rows = PublicRows(store);
        Assert.Equal("Downtown", rows[PortalSchema.Neighborhood][0]);
        Assert.Equal(downtown, Enumerable.Range(0, (int)rows.Rows.Count).Count(r => rows[PortalSchema.Neighborhood][r] is "Downtown"));
        Assert.Contains($"\"in_neighborhood\":{downtown}", File.ReadAllText(Path.Combine(store, StoreLayout.RunLogFile)));
    }

    public static TheoryData<string, string> BadNeighborhoodFiles => new()
    {
        {
            BoundaryLayerTests.Collection("""{"type":"Feature","properties":{"nhood_name":"A"},"geometry":{"type":"LineString","coordinates":[[-83.0,42.3],[-83.1,42.4]]}}"""),
            "nhoods.geojson: feature 1 of 1 (nhood_name 'A'): the geometry is a 'LineString', not a Polygon or MultiPolygon."
        },
        {
            BoundaryLayerTests.Collection("""{"type":"Feature","properties":{"nhood_name":"A"},"geometry":{"type":"Polygon","coordinates":[[[13450000,290000],[13460000,290000],[13460000,300000],[13450000,290000]]]}}"""),
            "nhoods.geojson: feature 1 of 1 (nhood_name 'A'): the point (13450000, 290000) is not longitude/latitude; the file looks projected."
        },
        {
            BoundaryLayerTests.Collection("""{"type":"Feature","properties":{"NHOOD":"A"},"geometry":{"type":"Polygon","coordinates":[[[-83.0,42.3],[-83.1,42.3],[-83.1,42.4],[-83.0,42.3]]]}}"""),
            "nhoods.geojson: feature 1 of 1: has no property 'nhood_name' (its properties: NHOOD)."
        },
    };

    [Theory]
    [MemberData(nameof(BadNeighborhoodFiles))]
    public async Task A_bad_neighborhoods_file_is_one_line_naming_the_file_and_the_feature_and_exit_1(string geoJson, string expected)
    {
        using var folder = new TempFolder();
        var nhoods = folder.File("nhoods.geojson");
        File.WriteAllText(nhoods, geoJson);

        var (code, output, error) = await Run("sync", "--base-url", "http://127.0.0.1:9", "--place", "detroit", "--out", folder.File("store"), "--neighborhoods", nhoods);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: " + expected.Replace("nhoods.geojson", nhoods, StringComparison.Ordinal), line);
        Assert.False(Directory.Exists(folder.File("store")), "nothing is written before the file is read");
    }
}
