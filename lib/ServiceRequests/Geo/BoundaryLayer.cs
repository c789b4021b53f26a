using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.IO.Converters;
using ServiceRequests.IO;

namespace ServiceRequests.Geo;

/// <summary>
/// Named areas (council districts, neighborhoods) read from a GeoJSON FeatureCollection of
/// Polygons and MultiPolygons in WGS 84 longitude/latitude (RFC 7946), with a point-in-area
/// lookup indexed by an STRtree of the areas' bounding boxes. Every feature must carry its name
/// in one property (<see cref="NameProperty"/>); several features may share a name (one area in
/// parts). <see cref="CouncilDistricts2026"/> is Detroit's 2026 council-district plan, bundled.
/// </summary>
/// <remarks>
/// A point inside an area, or exactly on its boundary, is in that area. A point on a boundary
/// that two areas share goes to the one listed first in the file; a point in a hole of a polygon,
/// or in a gap between areas (Hamtramck and Highland Park in Detroit's districts), is in none.
/// Invalid polygons (self-intersecting rings, for example) are repaired with NetTopologySuite's
/// <see cref="GeometryFixer"/> as they are read. A layer is immutable; <see cref="Locate"/> may
/// be called from several threads at once.
/// </remarks>
public sealed class BoundaryLayer
{
    /// <summary>The bundled 2026 council districts' path relative to the repository root.</summary>
    public const string CouncilDistricts2026RelativePath = "data/detroit-council-districts-2026.geojson";

    /// <summary>The property of <see cref="CouncilDistricts2026"/> that holds the district number, <c>1</c> to <c>7</c>.</summary>
    public const string CouncilDistrictProperty = "district_number";

    private const string BundledResource = "ServiceRequests.Geo.detroit-council-districts-2026.geojson";
    private static readonly Lazy<BoundaryLayer> Bundled = new(LoadBundled);
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);
    private readonly Area[] _areas;
    private readonly STRtree<int> _index = new();

    private BoundaryLayer(string source, string nameProperty, Area[] areas)
    {
        Source = source;
        NameProperty = nameProperty;
        _areas = areas;
        for (var i = 0; i < areas.Length; i++)
        {
            _index.Insert(areas[i].Shape.EnvelopeInternal, i);
            // The locator builds its own index on first use: build it now, so that lookups only read.
            areas[i].Locator.Locate(areas[i].Shape.Coordinate);
        }
        _index.Build();
        Names = [.. areas.Select(a => a.Name).Distinct(StringComparer.Ordinal)];
        Features = [.. areas.Select(a => (a.Name, a.Shape))];
    }

    /// <summary>
    /// Detroit's seven City Council districts under the plan adopted 2024-02-06 and in force from
    /// 2026-01-01 (<see cref="CouncilDistrictProperty"/> <c>1</c>–<c>7</c>), from the copy inside
    /// this library (the same bytes as <see cref="CouncilDistricts2026RelativePath"/>; source and
    /// licence in <c>data/README.md</c>). Simplified by its publisher: boundaries may be off by
    /// some tens of metres.
    /// </summary>
    public static BoundaryLayer CouncilDistricts2026 => Bundled.Value;

    /// <summary>Where the layer was read from (a path, or a label given to <see cref="Parse"/>).</summary>
    public string Source { get; }

    /// <summary>The feature property that names each area.</summary>
    public string NameProperty { get; }

    /// <summary>The distinct area names, in the order of their first feature.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The features as read (name and polygonal geometry, lon/lat), in file order.</summary>
    internal IReadOnlyList<(string Name, Geometry Shape)> Features { get; }

    /// <summary>Reads the GeoJSON file at <paramref name="path"/>; each feature's name is its <paramref name="nameProperty"/>.</summary>
    /// <exception cref="ServiceRequestsException">
    /// There is no such file, or it 
    /// is not a GeoJSON FeatureCollection of Polygons and MultiPolygons in longitude/latitude,
    /// or a feature lacks <paramref name="nameProperty"/>; one line naming the file and the feature.
    /// </exception>
    public static BoundaryLayer Load(string path, string nameProperty)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(nameProperty);
        if (!File.Exists(path))
        {
            throw new ServiceRequestsException($"No such GeoJSON file: '{Path.GetFullPath(path)}'.");
        }
        return Parse(File.ReadAllText(path), nameProperty, path);
    }

    /// <summary>Reads GeoJSON text; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="ServiceRequestsException">The text is not a GeoJSON FeatureCollection of Polygons and MultiPolygons in longitude/latitude, or a feature lacks <paramref name="nameProperty"/>; one line naming the source and the feature.</exception>
    public static BoundaryLayer Parse(string geoJson, string nameProperty, string source = "GeoJSON")
    {
        ArgumentNullException.ThrowIfNull(geoJson);
        ArgumentException.ThrowIfNullOrWhiteSpace(nameProperty);
        ArgumentNullException.ThrowIfNull(source);
        using (var document = JsonInput.Parse(geoJson, e => $"{source}: not JSON ({FirstLine(e.Message)})"))
        {
            return new BoundaryLayer(source, nameProperty, ReadAreas(document.RootElement, nameProperty, source));
        }
    }

    /// <summary>
    /// The name of the area holding the point (<paramref name="longitude"/>, <paramref name="latitude"/>),
    /// or null when no area holds it (outside, in a hole or in a gap) or a coordinate is not a finite number.
    /// </summary>
    public string? Locate(double longitude, double latitude)
    {
        if (!double.IsFinite(longitude) || !double.IsFinite(latitude))
        {
            return null;
        }
        var visitor = new FirstCovering(_areas, new Coordinate(longitude, latitude));
        _index.Query(new Envelope(longitude, longitude, latitude, latitude), visitor);
        return visitor.Best < 0 ? null : _areas[visitor.Best].Name;
    }

    private static BoundaryLayer LoadBundled()
    {
        using var stream = typeof(BoundaryLayer).Assembly.GetManifestResourceStream(BundledResource)
            ?? throw new InvalidOperationException($"The library lacks its embedded resource {BundledResource}.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), CouncilDistrictProperty, CouncilDistricts2026RelativePath);
    }

    private static Area[] ReadAreas(JsonElement root, string nameProperty, string source)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new ServiceRequestsException($"{source}: not GeoJSON (no \"type\" member); expected a FeatureCollection.");
        }
        if (type.GetString() != "FeatureCollection")
        {
            throw new ServiceRequestsException($"{source}: a GeoJSON {Quote(type.GetString())}, not a FeatureCollection.");
        }
        CheckCrs(root, source);
        if (!root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
        {
            throw new ServiceRequestsException($"{source}: the FeatureCollection has no \"features\" array.");
        }
        var count = features.GetArrayLength();
        if (count == 0)
        {
            throw new ServiceRequestsException($"{source}: the FeatureCollection has no features.");
        }
        var options = new JsonSerializerOptions { Converters = { new GeoJsonConverterFactory(Wgs84) } };
        var areas = new Area[count];
        var number = 0;
        foreach (var feature in features.EnumerateArray())
        {
            number++;
            var (name, where) = NameOf(feature, nameProperty, $"{source}: feature {number} of {count}");
            areas[number - 1] = new Area(name, ShapeOf(feature, options, where));
        }
        return areas;
    }

    /// <summary>The old (2008) GeoJSON <c>crs</c> member, when present, must name WGS 84 longitude/latitude.</summary>
    private static void CheckCrs(JsonElement root, string source)
    {
        if (!root.TryGetProperty("crs", out var crs) || crs.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        var name = crs.ValueKind == JsonValueKind.Object && crs.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            && p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : crs.GetRawText();
        var lonLat = name.EndsWith("CRS84", StringComparison.OrdinalIgnoreCase) || name.EndsWith(":4326", StringComparison.Ordinal)
            || name.EndsWith("::4326", StringComparison.Ordinal);
        if (!lonLat)
        {
            throw new ServiceRequestsException(
                $"{source}: its coordinates are in {Truncate(name)}, not WGS 84 longitude/latitude; export the layer in EPSG:4326 (for ArcGIS: outSR=4326).");
        }
    }

    private static (string Name, string Where) NameOf(JsonElement feature, string nameProperty, string where)
    {
        if (feature.ValueKind != JsonValueKind.Object || !feature.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Feature")
        {
            throw new ServiceRequestsException($"{where}: not a GeoJSON Feature.");
        }
        if (!feature.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            throw new ServiceRequestsException($"{where}: has no properties, so no '{nameProperty}'.");
        }
        if (!properties.TryGetProperty(nameProperty, out var value))
        {
            var names = properties.EnumerateObject().Select(p => Truncate(p.Name)).Take(12).ToList();
            throw new ServiceRequestsException(
                $"{where}: has no property '{nameProperty}' (its properties: {(names.Count == 0 ? "none" : string.Join(", ", names))}).");
        }
        var name = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Trim(),
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new ServiceRequestsException($"{where}: '{nameProperty}' is {value.ValueKind.ToString().ToLowerInvariant()}, not a name (text or a number)."),
        };
        if (name.Length == 0)
        {
            throw new ServiceRequestsException($"{where}: '{nameProperty}' is empty.");
        }
        return (name, $"{where} ({nameProperty} '{Truncate(name)}')");
    }

    private static Geometry ShapeOf(JsonElement feature, JsonSerializerOptions options, string where)
    {
        if (!feature.TryGetProperty("geometry", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            throw new ServiceRequestsException($"{where}: has no geometry.");
        }
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw new ServiceRequestsException($"{where}: the geometry has no type.");
        }
        var kind = type.GetString();
        if (kind is not ("Polygon" or "MultiPolygon"))
        {
            throw new ServiceRequestsException($"{where}: the geometry is a {Quote(kind)}, not a Polygon or MultiPolygon.");
        }
        Geometry? shape;
        try
        {
            shape = element.Deserialize<Geometry>(options);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
        {
            throw new ServiceRequestsException($"{where}: the {kind} cannot be read ({FirstLine(e.Message)}).", e);
        }
        if (shape is null || shape.IsEmpty)
        {
            throw new ServiceRequestsException($"{where}: the {kind} has no coordinates.");
        }
        // Only x and y count; a z (ArcGIS layers with hasZ) or m would also upset the repair below.
        shape = Flat(shape);
        foreach (var c in shape.Coordinates)
        {
            if (!(Math.Abs(c.X) <= 180) || !(Math.Abs(c.Y) <= 90))
            {
                throw new ServiceRequestsException(string.Create(CultureInfo.InvariantCulture,
                    $"{where}: the point ({c.X}, {c.Y}) is not longitude/latitude; the file looks projected. Export it in WGS 84 (EPSG:4326; for ArcGIS: outSR=4326)."));
            }
        }
        if (!shape.IsValid)
        {
            shape = GeometryFixer.Fix(shape);
            if (shape is not (Polygon or MultiPolygon) || shape.IsEmpty)
            {
                throw new ServiceRequestsException($"{where}: the {kind} is not a valid area and cannot be repaired (its rings enclose nothing).");
            }
        }
        return shape;
    }

    private static Geometry Flat(Geometry shape)
    {
        static LinearRing Ring(LineString ring) => Wgs84.CreateLinearRing([.. ring.Coordinates.Select(c => new Coordinate(c.X, c.Y))]);
        static Polygon Part(Polygon p) => Wgs84.CreatePolygon(Ring(p.Shell), [.. p.Holes.Select(Ring)]);
        return shape is MultiPolygon multi
            ? Wgs84.CreateMultiPolygon([.. multi.Geometries.Cast<Polygon>().Select(Part)])
            : Part((Polygon)shape);
    }

    private static string Quote(string? text) => text is null ? "null" : $"'{Truncate(text)}'";

    /// <summary>At most 60 characters, control characters shown as spaces, so that a message stays one line.</summary>
    private static string Truncate(string text)
    {
        var shown = string.Concat(text.Take(60).Select(c => char.IsControl(c) ? ' ' : c));
        return text.Length <= 60 ? shown : shown + "…";
    }

    private static string FirstLine(string text) => Truncate(text.Split('\n')[0].Trim());

    private sealed record Area(string Name, Geometry Shape)
    {
        public IndexedPointInAreaLocator Locator { get; } = new(Shape);
    }

    /// <summary>Keeps, among the areas whose boxes hold the point, the first in file order that covers it.</summary>
    private sealed class FirstCovering(Area[] areas, Coordinate point) : IItemVisitor<int>
    {
        public int Best { get; private set; } = -1;

        public void VisitItem(int item)
        {
            if ((Best < 0 || item < Best) && areas[item].Locator.Locate(point) != Location.Exterior)
            {
                Best = item;
            }
        }
    }
}
