using System.Globalization;
using System.Net;
using System.Text.Json;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using ServiceRequests.Geo;
using ServiceRequests.Http;
using ServiceRequests.IO;

namespace ServiceRequests.ArcGis;

internal sealed partial class FeatureLayerClient
{
    private const string PolygonType = "esriGeometryPolygon";
    private static readonly GeometryFactory LonLat = new(new PrecisionModel(), 4326);
    private static readonly JsonSerializerOptions GeoJson = new() { Converters = { new GeoJsonConverterFactory(LonLat, false, null, RingOrientationOption.EnforceRfc9746) } };

    /// <summary>
    /// Saves the polygons of a polygon layer (neighborhoods, council districts of any plan) as a
    /// GeoJSON FeatureCollection in WGS 84 longitude/latitude, each feature carrying
    /// <paramref name="nameField"/>, so that <see cref="BoundaryLayer.Load"/> and <c>sync</c> can use it
    /// offline. Pages through <c>{layer}/query</c> ordered by the object id with
    /// <c>returnGeometry=true&amp;outSR=4326&amp;f=json</c> and turns ArcGIS's rings into polygons
    /// (clockwise rings are shells, counter-clockwise ones holes, each hole in the shell that holds
    /// it). The file is checked as <see cref="BoundaryLayer"/> reads it, then written atomically.
    /// Features without a geometry are left out and logged.
    /// </summary>
    /// <param name="path">The GeoJSON file to write.</param>
    /// <param name="nameField">The layer field that names each area, e.g. <c>nhood_name</c> or <c>district_number</c>.</param>
    /// <param name="query">Which features (default all).</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The number of features written.</returns>
    /// <exception cref="ArcGisException">The server refused a request.</exception>
    /// <exception cref="ServiceRequestsException">
    /// The layer is not polygons or has no field <paramref name="nameField"/>; the server could not be reached after the retries;
    /// a page is not a query answer, a geometry is not rings of numbers, or the server ignored <c>outSR=4326</c> (the message
    /// names the page and feature); or the file cannot be written.
    /// </exception>
    public async Task<int> SavePolygonsAsync(string path, string nameField, FeatureQuery? query = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(nameField);
        query ??= new FeatureQuery();
        var info = await GetInfoAsync(cancellationToken).ConfigureAwait(false);
        if (info.GeometryType is { } geometryType && geometryType != PolygonType)
        {
            throw new ServiceRequestsException($"The layer {SafeUri.Of(Layer)} holds {geometryType}, not polygons ({PolygonType}).");
        }
        if (!info.Fields.ContainsKey(nameField))
        {
            throw new ServiceRequestsException(
                $"The layer {SafeUri.Of(Layer)} has no field '{nameField}'; its fields: {string.Join(", ", info.Fields.Keys.Take(30))}.");
        }
        var name = info.Fields.Keys.First(k => string.Equals(k, nameField, StringComparison.OrdinalIgnoreCase));
        var pageSize = Math.Min(Options.PageSize ?? info.MaxRecordCount, info.MaxRecordCount);
        var outFields = Escape(string.Join(',', new[] { info.ObjectIdField, name }.Distinct(StringComparer.OrdinalIgnoreCase)));
        var order = Escape($"{info.ObjectIdField} ASC");
        var features = new FeatureCollection();
        var offset = 0L;
        for (var page = 1; ; page++)
        {
            var paging = info.SupportsPagination
                ? $"&resultOffset={offset.ToString(CultureInfo.InvariantCulture)}&resultRecordCount={pageSize.ToString(CultureInfo.InvariantCulture)}"
                : "";
            var uri = QueryUri($"where={Escape(query.Where)}&outFields={outFields}&orderByFields={order}{paging}&returnGeometry=true&outSR=4326&f=json");
            var body = await GetAsync(uri, $"polygon query (page {page})", query.Where, cancellationToken).ConfigureAwait(false);
            var source = $"{SafeUri.Of(Layer)} (polygon page {page}, offset {offset:N0})";
            var (rows, more) = ReadPolygonPage(body, source, name, info.ObjectIdField, features, page);
            offset += rows;
            Options.Log?.Invoke($"{SafeUri.Of(Layer)}: page {page}: {rows:N0} polygons ({features.Count:N0} so far)");
            if (!more)
            {
                break;
            }
            if (!info.SupportsPagination)
            {
                throw new ServiceRequestsException($"The layer {SafeUri.Of(Layer)} has more features than one answer holds and does not support paging; narrow the query with a where clause.");
            }
            if (rows == 0)
            {
                throw new ServiceRequestsException($"{source}: the server says more features remain (exceededTransferLimit) but sent none; stopping rather than asking forever.");
            }
        }
        var text = JsonSerializer.Serialize(features, GeoJson);
        // What BoundaryLayer cannot read is never written.
        BoundaryLayer.Parse(text, name, path);
        AtomicFile.WriteAllText(path, text);
        return features.Count;
    }

    /// <summary>Adds a page's features to <paramref name="into"/>; returns how many the page held and whether more remain.</summary>
    private (int Rows, bool More) ReadPolygonPage(ReadOnlyMemory<byte> body, string source, string nameField, string objectIdField, FeatureCollection into, int page)
    {
        using (var document = JsonInput.Parse(body, e => $"{source}: the answer is not JSON ({e.Message})."))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ServiceRequestsException($"{source}: the answer is not a JSON object.");
            }
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                throw ArcGisException.FromError(error, HttpStatusCode.OK, $"polygon query of {SafeUri.Of(Layer)} (page {page})", null, Secrets.Scrub);
            }
            if (root.TryGetProperty("spatialReference", out var sr) && sr.ValueKind == JsonValueKind.Object && Wkid(sr) is { } wkid && wkid is not (4326 or 4269 or 4283))
            {
                throw new ServiceRequestsException($"{source}: the coordinates came in spatial reference {wkid}, not WGS 84 longitude/latitude (4326) as outSR=4326 asked.");
            }
            if (!root.TryGetProperty("features", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new ServiceRequestsException($"{source}: the answer has no 'features' list.");
            }
            var rows = 0;
            foreach (var feature in list.EnumerateArray())
            {
                rows++;
                var where = $"{source}, feature {rows}";
                var attributes = feature.ValueKind == JsonValueKind.Object && feature.TryGetProperty("attributes", out var a) && a.ValueKind == JsonValueKind.Object ? a : default;
                var name = attributes.ValueKind == JsonValueKind.Object ? Attribute(attributes, nameField) : null;
                var id = attributes.ValueKind == JsonValueKind.Object ? Attribute(attributes, objectIdField) : null;
                where += id is null ? "" : $" ({objectIdField} {id})";
                if (string.IsNullOrWhiteSpace(name))
                {
                    throw new ServiceRequestsException($"{where}: '{nameField}' is empty.");
                }
                if (!feature.TryGetProperty("geometry", out var geometry) || geometry.ValueKind == JsonValueKind.Null)
                {
                    Options.Log?.Invoke($"{where}: {nameField} '{name}' has no geometry; left out.");
                    continue;
                }
                into.Add(new Feature(Polygons(geometry, where), new AttributesTable { { nameField, name } }));
            }
            var more = root.TryGetProperty("exceededTransferLimit", out var limit) && limit.ValueKind == JsonValueKind.True;
            return (rows, more);
        }
    }

    /// <summary>ArcGIS rings to a Polygon or MultiPolygon: clockwise rings are shells, the others holes of the smallest shell holding them.</summary>
    private static Geometry Polygons(JsonElement geometry, string where)
    {
        if (geometry.ValueKind != JsonValueKind.Object || !geometry.TryGetProperty("rings", out var ringList) || ringList.ValueKind != JsonValueKind.Array)
        {
            throw new ServiceRequestsException($"{where}: the geometry has no 'rings'; is this a polygon layer?");
        }
        var shells = new List<LinearRing>();
        var holes = new List<LinearRing>();
        foreach (var ring in ringList.EnumerateArray())
        {
            if (ring.ValueKind != JsonValueKind.Array)
            {
                throw new ServiceRequestsException($"{where}: a ring is not a list of points.");
            }
            var points = new List<Coordinate>();
            foreach (var point in ring.EnumerateArray())
            {
                if (point.ValueKind != JsonValueKind.Array || point.GetArrayLength() < 2
                    || !point[0].TryGetDouble(out var x) || !point[1].TryGetDouble(out var y) || !double.IsFinite(x) || !double.IsFinite(y))
                {
                    throw new ServiceRequestsException($"{where}: a point is not [x, y] numbers: {Shorten(point.GetRawText())}.");
                }
                points.Add(new Coordinate(x, y));
            }
            if (points.Count > 0 && !points[0].Equals2D(points[^1]))
            {
                points.Add(points[0].Copy());
            }
            if (points.Count < 4)
            {
                throw new ServiceRequestsException($"{where}: a ring has {points.Count} points; a closed ring needs at least 4.");
            }
            var linear = LonLat.CreateLinearRing([.. points]);
            (Orientation.IsCCW(linear.CoordinateSequence) ? holes : shells).Add(linear);
        }
        if (shells.Count == 0)
        {
            // Rings all wound the GeoJSON way round: read them as shells.
            (shells, holes) = (holes, []);
        }
        var holesOf = shells.Select(_ => new List<LinearRing>()).ToArray();
        foreach (var hole in holes)
        {
            var inside = Enumerable.Range(0, shells.Count)
                .Where(s => shells[s].EnvelopeInternal.Contains(hole.EnvelopeInternal) && PointLocation.IsInRing(hole.GetCoordinateN(0), shells[s].Coordinates))
                .OrderBy(s => shells[s].EnvelopeInternal.Area)
                .ToList();
            if (inside.Count == 0)
            {
                // A ring outside every shell is an area of its own, whatever its winding.
                shells.Add(hole);
                holesOf = [.. holesOf, []];
                continue;
            }
            holesOf[inside[0]].Add(hole);
        }
        var polygons = shells.Select((s, i) => LonLat.CreatePolygon(s, [.. holesOf[i]])).ToArray();
        return polygons.Length == 1 ? polygons[0] : LonLat.CreateMultiPolygon(polygons);
    }

    private static int? Wkid(JsonElement spatialReference)
    {
        foreach (var name in new[] { "latestWkid", "wkid" })
        {
            if (spatialReference.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n))
            {
                return n;
            }
        }
        return null;
    }

    private static string? Attribute(JsonElement attributes, string field)
    {
        foreach (var p in attributes.EnumerateObject())
        {
            if (string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase))
            {
                return p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString()!.Trim(),
                    JsonValueKind.Number => p.Value.GetRawText(),
                    _ => null,
                };
            }
        }
        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
