using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using ServiceRequests.ArcGis;
using ServiceRequests.Geo;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;
using static ServiceRequests.Tests.Infrastructure.CliRun;

namespace ServiceRequests.Tests.ArcGis;

/// <summary>Saving a polygon layer (ArcGIS REST JSON rings, f=json) as GeoJSON, against the fake FeatureServer.</summary>
public class FeatureLayerPolygonsTests
{
    private static readonly (string Name, string Type)[] DistrictFields = [("district_number", "esriFieldTypeString"), ("district_name", "esriFieldTypeString")];
    private readonly FastRetry _retry = new();
    private readonly List<string> _log = [];

    /// <summary>A ring as ArcGIS writes it: closed, clockwise for a shell, counter-clockwise for a hole.</summary>
    private static double[][] EsriRing(LineString ring, bool shell)
    {
        var points = ring.Coordinates;
        if (Orientation.IsCCW(points) == shell)
        {
            points = [.. Enumerable.Reverse(points)];
        }
        return [.. points.Select(c => new[] { c.X, c.Y })];
    }

    private static double[][][] EsriRings(Geometry shape) =>
    [
        .. Enumerable.Range(0, shape.NumGeometries).Select(i => (Polygon)shape.GetGeometryN(i))
            .SelectMany(p => p.Holes.Select(h => EsriRing(h, shell: false)).Prepend(EsriRing(p.Shell, shell: true))),
    ];

    private static async Task<FakeFeatureServer> DistrictLayer()
    {
        var fake = await FakeFeatureServer.StartPolygonsAsync(DistrictFields);
        // Listed in reverse, so that only the object id order keeps the file's order stable.
        foreach (var (name, shape) in BoundaryLayer.CouncilDistricts2026.Features.Reverse())
        {
            fake.AddPolygon(new Dictionary<string, object?> { ["district_number"] = name, ["district_name"] = "District " + name }, EsriRings(shape));
        }
        return fake;
    }

    private FeatureLayerClient Client(FakeFeatureServer fake, int? pageSize = null) =>
        new(fake.Layer, new FeatureLayerOptions { PageSize = pageSize, Retry = _retry.Options(), Log = _log.Add });

    [Fact]
    public async Task The_2026_districts_come_back_the_same_through_pages_of_rings()
    {
        await using var fake = await DistrictLayer();
        fake.MaxRecordCount = 3;
        using var folder = new TempFolder();
        using var client = Client(fake);

        var saved = await client.SavePolygonsAsync(folder.File("districts.geojson"), "district_number");

        Assert.Equal(7, saved);
        var layer = BoundaryLayer.Load(folder.File("districts.geojson"), "district_number");
        Assert.Equal(["7", "6", "5", "4", "3", "2", "1"], layer.Names);
        var original = BoundaryLayer.CouncilDistricts2026.Features.ToDictionary(f => f.Name, f => f.Shape);
        foreach (var (name, shape) in layer.Features)
        {
            Assert.True(shape.EqualsExact(original[name].Normalized()) || shape.Normalized().EqualsExact(original[name].Normalized()), $"district {name} changed");
        }
        Assert.Equal("6", layer.Locate(-83.0458, 42.3314));
        Assert.Null(layer.Locate(-83.0496, 42.3928));
        var queries = fake.FeatureQueries.ToList();
        Assert.Equal(3, queries.Count);
        Assert.All(queries, q => Assert.Equal("4326", q["outSR"]));
        Assert.All(queries, q => Assert.Equal("true", q["returnGeometry"]));
        Assert.All(queries, q => Assert.Equal("json", q["f"]));
        Assert.All(queries, q => Assert.Equal("ObjectId,district_number", q["outFields"]));
        Assert.Equal(["0", "3", "6"], queries.Select(q => q["resultOffset"]));
        // GeoJSON's winding (RFC 7946): shells counter-clockwise.
        Assert.Contains("\"district_number\":\"5\"", File.ReadAllText(folder.File("districts.geojson")));
    }

    [Fact]
    public async Task A_hole_an_island_in_it_and_a_second_part_become_one_multipolygon()
    {
        await using var fake = await FakeFeatureServer.StartPolygonsAsync([("nhood_name", "esriFieldTypeString")]);
        // Clockwise shell, counter-clockwise hole, then a clockwise island inside the hole and a clockwise part elsewhere.
        double[][] Square(double x0, double y0, double x1, double y1, bool clockwise) => clockwise
            ? [[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]]
            : [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
        fake.AddPolygon(new Dictionary<string, object?> { ["nhood_name"] = "Ring" },
        [
            Square(-83.10, 42.30, -83.00, 42.40, clockwise: true),
            Square(-83.06, 42.34, -83.04, 42.36, clockwise: false),
            Square(-83.055, 42.345, -83.045, 42.355, clockwise: true),
            Square(-82.95, 42.30, -82.94, 42.31, clockwise: true),
        ]);
        fake.AddPolygon(new Dictionary<string, object?> { ["nhood_name"] = "Lost" }, null);
        using var folder = new TempFolder();
        using var client = Client(fake);

        Assert.Equal(1, await client.SavePolygonsAsync(folder.File("n.geojson"), "NHOOD_NAME"));

        var layer = BoundaryLayer.Load(folder.File("n.geojson"), "nhood_name");
        Assert.Equal("Ring", layer.Locate(-83.09, 42.31));
        Assert.Null(layer.Locate(-83.059, 42.341));          // in the hole
        Assert.Equal("Ring", layer.Locate(-83.05, 42.35));   // on the island
        Assert.Equal("Ring", layer.Locate(-82.945, 42.305)); // the second part
        Assert.IsType<MultiPolygon>(layer.Features.Single().Shape);
        Assert.Contains(_log, l => l.Contains("'Lost' has no geometry; left out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_that_ignores_outSR_a_point_layer_and_a_missing_field_are_refused()
    {
        using var folder = new TempFolder();
        await using (var fake = await DistrictLayer())
        {
            fake.IgnoreOutSpatialReference = true;
            using var client = Client(fake);
            var e = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.SavePolygonsAsync(folder.File("d.geojson"), "district_number"));
            Assert.Contains("spatial reference 3857, not WGS 84 longitude/latitude (4326)", e.Message);
            var missing = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.SavePolygonsAsync(folder.File("d.geojson"), "nhood_name"));
            Assert.Contains("has no field 'nhood_name'; its fields: ObjectId, district_number, district_name", missing.Message);
        }
        await using (var points = await FakeFeatureServer.StartAsync())
        {
            using var client = Client(points);
            var e = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.SavePolygonsAsync(folder.File("d.geojson"), "neighborhood"));
            Assert.Contains("holds esriGeometryPoint, not polygons", e.Message);
        }
        Assert.False(File.Exists(folder.File("d.geojson")));
    }

    [Fact]
    public async Task The_arcgis_command_saves_polygons_and_says_what_it_needs()
    {
        await using var fake = await DistrictLayer();
        using var folder = new TempFolder();

        var (code, output, error) = await Run("arcgis", "--layer", fake.Layer.ToString(), "--save-polygons", folder.File("d.geojson"), "--name-field", "district_number");

        Assert.True(code == 0, error);
        Assert.Contains($"Saved 7 areas from {fake.Layer} to {folder.File("d.geojson")} (district_number)", output);
        Assert.Equal(7, BoundaryLayer.Load(folder.File("d.geojson"), "district_number").Names.Count);

        var noName = await Run("arcgis", "--layer", fake.Layer.ToString(), "--save-polygons", folder.File("e.geojson"));
        Assert.Equal((1, "error: --save-polygons needs --name-field: the layer field that names each area (e.g. nhood_name).\n"), (noName.Code, noName.Err.Replace("\r", "")));
        var both = await Run("arcgis", "--layer", fake.Layer.ToString(), "--save-polygons", folder.File("e.geojson"), "--out", folder.File("i.json"), "--name-field", "x");
        Assert.Equal(1, both.Code);
        Assert.Contains("one of them", both.Err);
        var wrongField = await Run("arcgis", "--layer", fake.Layer.ToString(), "--save-polygons", folder.File("e.geojson"), "--name-field", "nhood_name");
        Assert.Equal(1, wrongField.Code);
        Assert.Single(wrongField.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("has no field 'nhood_name'", wrongField.Err);
    }
}
