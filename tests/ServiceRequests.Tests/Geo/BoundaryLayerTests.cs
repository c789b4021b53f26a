using System.Text;
using NetTopologySuite.Geometries;
using ServiceRequests.Geo;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Geo;

public class BoundaryLayerTests
{
    private static readonly BoundaryLayer Districts = BoundaryLayer.CouncilDistricts2026;

    /// <summary>A FeatureCollection of the given features (JSON text of each).</summary>
    internal static string Collection(params string[] features) =>
        $$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""";

    /// <summary>A feature named <paramref name="name"/> (property <c>name</c>) with the given geometry JSON.</summary>
    internal static string Feature(string name, string geometry) =>
        $$"""{"type":"Feature","properties":{"name":"{{name}}","other":1},"geometry":{{geometry}}}""";

    /// <summary>A polygon from rings of (x, y) corners; each ring is closed here.</summary>
    internal static string Polygon(params (double X, double Y)[][] rings) =>
        $$"""{"type":"Polygon","coordinates":{{Rings(rings)}}}""";

    private static string Rings((double X, double Y)[][] rings) =>
        "[" + string.Join(",", rings.Select(r => "[" + string.Join(",", r.Append(r[0]).Select(p => FormattableString.Invariant($"[{p.X},{p.Y}]"))) + "]")) + "]";

    private static (double, double)[] Square(double x0, double y0, double x1, double y1) => [(x0, y0), (x1, y0), (x1, y1), (x0, y1)];

    [Fact]
    public void The_bundled_districts_are_the_seven_of_the_2026_plan_and_the_same_bytes_as_the_data_file()
    {
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7"], Districts.Names);
        Assert.Equal(BoundaryLayer.CouncilDistrictProperty, Districts.NameProperty);
        using var resource = typeof(BoundaryLayer).Assembly.GetManifestResourceStream("ServiceRequests.Geo.detroit-council-districts-2026.geojson")!;
        using var copy = new MemoryStream();
        resource.CopyTo(copy);
        Assert.Equal(File.ReadAllBytes(RepoPaths.Of(BoundaryLayer.CouncilDistricts2026RelativePath)), copy.ToArray());
        var loaded = BoundaryLayer.Load(RepoPaths.Of(BoundaryLayer.CouncilDistricts2026RelativePath), BoundaryLayer.CouncilDistrictProperty);
        Assert.Equal(Districts.Names, loaded.Names);
    }

    [Theory]
    [InlineData(42.3314, -83.0458, "6")]   // downtown (Campus Martius)
    [InlineData(42.3415, -82.9780, "5")]   // Belle Isle, the island part of district 5
    [InlineData(42.3725, -83.0710, "5")]   // New Center
    [InlineData(42.4160, -83.2450, "1")]   // north-west
    [InlineData(42.4200, -82.9600, "4")]   // east, near Eight Mile
    [InlineData(42.3928, -83.0496, null)]  // Hamtramck: an enclave, in no district
    [InlineData(42.4056, -83.0977, null)]  // Highland Park: the other enclave
    [InlineData(42.3000, -83.0200, null)]  // Windsor, Ontario, across the river
    [InlineData(42.4730, -83.2210, null)]  // Southfield, north of Eight Mile
    [InlineData(42.2850, -83.1900, null)]  // Dearborn (south-west, outside)
    public void Known_places_fall_in_their_2026_district_or_in_none(double lat, double lng, string? district)
    {
        Assert.Equal(district, Districts.Locate(lng, lat));
    }

    [Fact]
    public void The_bundled_districts_cover_the_city_without_overlaps_and_leave_the_enclaves_out()
    {
        var features = Districts.Features;
        var area = features.Sum(f => f.Shape.Area);
        for (var i = 0; i < features.Count; i++)
        {
            for (var j = i + 1; j < features.Count; j++)
            {
                Assert.True(features[i].Shape.Intersection(features[j].Shape).Area < area * 1e-9, $"districts {features[i].Name} and {features[j].Name} overlap");
            }
        }
        // 138.85 square miles (SOURCES.md): degrees squared times (69.05 mi)² times cos(latitude).
        var squareMiles = area * 69.05 * 69.05 * Math.Cos(42.37 * Math.PI / 180);
        Assert.InRange(squareMiles, 138.5, 139.2);
    }

    [Fact]
    public void A_vertex_shared_by_two_districts_goes_to_the_one_listed_first_and_one_on_the_city_limit_to_its_district()
    {
        var features = Districts.Features;
        var owners = new Dictionary<Coordinate, SortedSet<int>>();
        for (var i = 0; i < features.Count; i++)
        {
            foreach (var c in features[i].Shape.Coordinates)
            {
                (owners.TryGetValue(c, out var set) ? set : owners[c] = []).Add(i);
            }
        }
        var shared = owners.Where(o => o.Value.Count == 2).ToList();
        var alone = owners.Where(o => o.Value.Count == 1).ToList();
        Assert.True(shared.Count > 50, "the districts share edges");
        foreach (var (point, set) in shared)
        {
            Assert.Equal(features[set.Min].Name, Districts.Locate(point.X, point.Y));
        }
        foreach (var (point, set) in alone)
        {
            Assert.Equal(features[set.Min].Name, Districts.Locate(point.X, point.Y));
        }
    }

    [Fact]
    public void Points_on_an_edge_in_a_hole_in_an_island_and_outside()
    {
        // A city 0..10 with a hole 4..6 (an enclave), and a park feature filling part of the hole, listed after it.
        var layer = BoundaryLayer.Parse(Collection(
            Feature("city", Polygon(Square(0, 0, 10, 10), Square(4, 4, 6, 6))),
            Feature("island", Polygon(Square(4.5, 4.5, 5.5, 5.5))),
            Feature("east", Polygon(Square(10, 0, 12, 10)))), "name", "test.geojson");

        Assert.Equal("city", layer.Locate(1, 1));
        Assert.Null(layer.Locate(4.2, 4.2));        // in the hole, not on the island
        Assert.Equal("island", layer.Locate(5, 5));        // on the island inside the hole
        Assert.Equal("island", layer.Locate(5, 4.5));      // on the island's edge
        Assert.Equal("city", layer.Locate(5, 4));          // on the hole's edge: the city's boundary
        Assert.Equal("city", layer.Locate(10, 5));         // on the edge city and east share: the first listed
        Assert.Equal("east", layer.Locate(11, 5));
        Assert.Equal("city", layer.Locate(0, 5));          // on the outer limit
        Assert.Equal("city", layer.Locate(0, 0));          // on a corner
        Assert.Null(layer.Locate(-0.0001, 5));      // just outside
        Assert.Null(layer.Locate(12.5, 5));
        Assert.Null(layer.Locate(double.NaN, 5));
        Assert.Null(layer.Locate(5, double.PositiveInfinity));
        Assert.Equal(["city", "island", "east"], layer.Names);
    }

    [Fact]
    public void A_name_in_several_features_and_multipolygons_are_one_area()
    {
        var layer = BoundaryLayer.Parse(Collection(
            Feature("a", """{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,6],[5,5]]]]}"""),
            Feature("a", Polygon(Square(2, 0, 3, 1))),
            """{"type":"Feature","properties":{"name":7},"geometry":{"type":"Polygon","coordinates":[[[8,8],[9,8],[9,9],[8,9],[8,8]]]}}"""), "name");

        Assert.Equal(["a", "7"], layer.Names);
        Assert.Equal("a", layer.Locate(0.5, 0.5));
        Assert.Equal("a", layer.Locate(5.5, 5.5));
        Assert.Equal("a", layer.Locate(2.5, 0.5));
        Assert.Equal("7", layer.Locate(8.5, 8.5));
        Assert.Null(layer.Locate(4, 4));
    }

    [Fact]
    public void A_self_intersecting_ring_is_repaired_rather_than_misread()
    {
        // A bow tie: (0,0) (2,2) (2,0) (0,2); the two triangles meet at (1,1).
        var layer = BoundaryLayer.Parse(Collection(Feature("bow", """{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}""")), "name");

        Assert.Equal("bow", layer.Locate(0.2, 1));
        Assert.Equal("bow", layer.Locate(1.8, 1));
        Assert.Null(layer.Locate(1, 0.2));
        Assert.Null(layer.Locate(1, 1.8));
    }

    [Fact]
    public void The_index_finds_what_a_scan_of_every_district_finds()
    {
        var random = new Random(14);
        var features = Districts.Features;
        var factory = new GeometryFactory();
        for (var i = 0; i < 5_000; i++)
        {
            var lng = -83.30 + random.NextDouble() * 0.40;
            var lat = 42.24 + random.NextDouble() * 0.22;
            var point = factory.CreatePoint(new Coordinate(lng, lat));
            var expected = features.FirstOrDefault(f => f.Shape.Covers(point)).Name;
            Assert.Equal(expected, Districts.Locate(lng, lat));
        }
    }

    [Fact]
    public void Lookups_from_many_threads_agree_with_one_thread()
    {
        var random = new Random(3);
        var points = Enumerable.Range(0, 20_000).Select(_ => (X: -83.30 + random.NextDouble() * 0.40, Y: 42.24 + random.NextDouble() * 0.22)).ToArray();
        var layer = BoundaryLayer.Parse(File.ReadAllText(RepoPaths.Of(BoundaryLayer.CouncilDistricts2026RelativePath)), BoundaryLayer.CouncilDistrictProperty);
        var parallel = new string?[points.Length];
        Parallel.For(0, points.Length, i => parallel[i] = layer.Locate(points[i].X, points[i].Y));

        Assert.Equal(points.Select(p => Districts.Locate(p.X, p.Y)), parallel);
        Assert.Contains(parallel, p => p is null);
        Assert.Equal(7, parallel.OfType<string>().Distinct().Count());
    }

    public static TheoryData<string, string> BadLayers => new()
    {
        { "not json {", "test.geojson: not JSON (" },
        { """{"type":"Feature","properties":{},"geometry":null}""", "test.geojson: a GeoJSON 'Feature', not a FeatureCollection." },
        { """[1,2]""", "test.geojson: not GeoJSON (no \"type\" member); expected a FeatureCollection." },
        { """{"type":"FeatureCollection","features":[]}""", "test.geojson: the FeatureCollection has no features." },
        { """{"type":"FeatureCollection"}""", "test.geojson: the FeatureCollection has no \"features\" array." },
        {
            Collection(Feature("a", Polygon(Square(0, 0, 1, 1))), Feature("b", """{"type":"LineString","coordinates":[[0,0],[1,1]]}""")),
            "test.geojson: feature 2 of 2 (name 'b'): the geometry is a 'LineString', not a Polygon or MultiPolygon."
        },
        {
            Collection(Feature("a", """{"type":"Point","coordinates":[-83.0,42.3]}""")),
            "test.geojson: feature 1 of 1 (name 'a'): the geometry is a 'Point', not a Polygon or MultiPolygon."
        },
        {
            // Michigan State Plane South (feet), as a layer exported without outSR=4326 gives.
            Collection(Feature("a", Polygon(Square(13_450_000, 290_000, 13_460_000, 300_000)))),
            "test.geojson: feature 1 of 1 (name 'a'): the point (13450000, 290000) is not longitude/latitude; the file looks projected. Export it in WGS 84 (EPSG:4326; for ArcGIS: outSR=4326)."
        },
        {
            // Web Mercator metres.
            Collection(Feature("a", Polygon(Square(-9_240_000, 5_210_000, -9_230_000, 5_220_000)))),
            "test.geojson: feature 1 of 1 (name 'a'): the point (-9240000, 5210000) is not longitude/latitude; the file looks projected."
        },
        {
            """{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2898"}},"features":[]}""",
            "test.geojson: its coordinates are in urn:ogc:def:crs:EPSG::2898, not WGS 84 longitude/latitude;"
        },
        {
            Collection(Feature("a", Polygon(Square(0, 0, 1, 1))), """{"type":"Feature","properties":{"nhood":"x","id":3},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}"""),
            "test.geojson: feature 2 of 2: has no property 'name' (its properties: nhood, id)."
        },
        {
            Collection("""{"type":"Feature","properties":{"name":null},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}"""),
            "test.geojson: feature 1 of 1: 'name' is null, not a name (text or a number)."
        },
        {
            Collection("""{"type":"Feature","properties":{"name":"  "},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}"""),
            "test.geojson: feature 1 of 1: 'name' is empty."
        },
        {
            Collection("""{"type":"Feature","properties":{"name":"a"},"geometry":null}"""),
            "test.geojson: feature 1 of 1 (name 'a'): has no geometry."
        },
        {
            Collection("""{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}}"""),
            "test.geojson: feature 1 of 1 (name 'a'): the Polygon is not a valid area and cannot be repaired (its rings enclose nothing)."
        },
        {
            Collection("""{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Polygon","coordinates":"x"}}"""),
            "test.geojson: feature 1 of 1 (name 'a'): the Polygon cannot be read ("
        },
        {
            Collection("""{"type":"Feature","properties":{"name":"a"},"geometry":{"type":"Polygon","coordinates":[]}}"""),
            "test.geojson: feature 1 of 1 (name 'a'): the Polygon has no coordinates."
        },
        {
            Collection("""{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"""),
            "test.geojson: feature 1 of 1: not a GeoJSON Feature."
        },
    };

    [Theory]
    [MemberData(nameof(BadLayers))]
    public void Bad_input_gets_one_line_naming_the_file_and_the_feature(string json, string expected)
    {
        var e = Assert.Throws<ServiceRequestsException>(() => BoundaryLayer.Parse(json, "name", "test.geojson"));
        Assert.Equal(expected, e.Message[..Math.Min(expected.Length, e.Message.Length)]);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_names_a_missing_file()
    {
        using var temp = new TempFolder();
        var e = Assert.Throws<ServiceRequestsException>(() => BoundaryLayer.Load(temp.File("nhoods.geojson"), "nhood_name"));
        Assert.Contains("nhoods.geojson", e.Message);
    }

    [Fact]
    public void Fuzz_mutated_layers_either_load_or_fail_with_one_line_naming_the_file()
    {
        var random = new Random(2026);
        var valid = Collection(
            Feature("city", Polygon(Square(0, 0, 10, 10), Square(4, 4, 6, 6))),
            """{"type":"Feature","properties":{"name":5},"geometry":{"type":"MultiPolygon","coordinates":[[[[20,0],[21,0],[21,1],[20,0]]],[[[30,0],[31,0],[31,1],[30,0]]]]}}""",
            Feature("bow", """{"type":"Polygon","coordinates":[[[40,0],[42,2],[42,0],[40,2],[40,0]]]}"""));
        BoundaryLayer.Parse(valid, "name", "fuzz.geojson");
        var bytes = Encoding.UTF8.GetBytes(valid);
        string[] insertions = [.. JsonMutations.Noise, "\"Polygon\"", "\"MultiPolygon\"", "\"Point\"", "\"LineString\"", "\"GeometryCollection\"",
            "[]", "[[]]", "null", "1e400", "-0", "\"name\"", "\"coordinates\"", "\"type\""];
        var loaded = 0;
        for (var i = 0; i < 10_000; i++)
        {
            var text = Encoding.UTF8.GetString(JsonMutations.Mutate(bytes, random, insertions, maxCut: 12));
            try
            {
                var layer = BoundaryLayer.Parse(text, "name", "fuzz.geojson");
                layer.Locate(0.5, 0.5);
                layer.Locate(20.5, 0.2);
                loaded++;
            }
            catch (ServiceRequestsException e)
            {
                Assert.StartsWith("fuzz.geojson: ", e.Message);
                Assert.DoesNotContain('\n', e.Message);
            }
        }
        Assert.InRange(loaded, 1, 9_999);
    }
}
