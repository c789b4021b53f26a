using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ServiceRequests.Portal;

namespace ServiceRequests.TestSupport;

/// <summary>
/// An ArcGIS FeatureServer layer on 127.0.0.1 over in-memory features, speaking the REST API's
/// contract: layer metadata (<c>GET {layer}?f=json</c>: fields, <c>objectIdField</c>,
/// <c>maxRecordCount</c>, <c>advancedQueryCapabilities.supportsPagination</c>) and
/// <c>GET {layer}/query</c> with <c>where</c> (see <see cref="FakeWhere"/>), <c>outFields</c>,
/// <c>orderByFields</c>, <c>resultOffset</c>, <c>resultRecordCount</c> (capped at
/// <see cref="MaxRecordCount"/>), <c>returnCountOnly</c>, <c>returnGeometry</c>, <c>f=json</c>.
/// A page says <c>"exceededTransferLimit": true</c> only while features remain. Errors are
/// ArcGIS's HTTP-200 bodies <c>{"error": {"code", "message", "details"}}</c>. Dates are epoch
/// milliseconds (UTC); null attributes are sent as null. Failures are injected with <see cref="Intercept"/>.
/// A polygon layer (<see cref="StartPolygonsAsync"/>) answers with <c>geometryType</c>
/// <c>esriGeometryPolygon</c> and each feature's <c>geometry</c> as <c>{"rings": [[[x, y], ...], ...]}</c>
/// (clockwise shells, counter-clockwise holes, as ArcGIS writes them), in the layer's own spatial
/// reference, Web Mercator (<c>{"wkid": 102100, "latestWkid": 3857}</c>), unless the query asks for
/// <c>outSR=4326</c>.
/// </summary>
internal sealed class FakeFeatureServer : IAsyncDisposable
{
    public const string LayerPath = "arcgis/rest/services/improve_detroit/FeatureServer/0";
    public const string ObjectIdField = "ObjectId";
    private readonly object _lock = new();
    private readonly List<Dictionary<string, object?>> _features = [];
    private readonly Dictionary<long, double[][][]> _rings = [];
    private bool _polygons;
    private readonly Dictionary<string, string> _types;
    private readonly List<(string Name, string Type)> _fields;
    private LoopbackServer? _server;
    private int _requests;

    private FakeFeatureServer(IReadOnlyList<(string Name, string Type)> fields)
    {
        _fields = [(ObjectIdField, "esriFieldTypeOID"), .. fields];
        _types = _fields.ToDictionary(f => f.Name, f => f.Type, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The fields of Detroit's Improve Detroit layer, as documented.</summary>
    public static IReadOnlyList<(string Name, string Type)> DetroitFields { get; } =
    [
        ("issue_id", "esriFieldTypeInteger"),
        ("request_type", "esriFieldTypeString"),
        ("status", "esriFieldTypeString"),
        ("priority_code", "esriFieldTypeInteger"),
        ("report_method", "esriFieldTypeString"),
        ("created_at", "esriFieldTypeDate"),
        ("acknowledged_at", "esriFieldTypeDate"),
        ("updated_at", "esriFieldTypeDate"),
        ("closed_at", "esriFieldTypeDate"),
        ("reopened_at", "esriFieldTypeDate"),
        ("num_days_to_close", "esriFieldTypeDouble"),
        ("num_hours_to_close", "esriFieldTypeDouble"),
        ("address", "esriFieldTypeString"),
        ("neighborhood", "esriFieldTypeString"),
        ("council_district", "esriFieldTypeSmallInteger"),
        ("zip_code", "esriFieldTypeString"),
        ("latitude", "esriFieldTypeDouble"),
        ("longitude", "esriFieldTypeDouble"),
    ];

    public Uri Layer => new(_server!.BaseAddress, LayerPath);

    /// <summary>The layer's maxRecordCount (default 1000, as on most layers).</summary>
    public int MaxRecordCount { get; set; } = 1000;

    /// <summary>The maxRecordCount the metadata states, when it differs from the cap actually enforced (null: the same).</summary>
    public int? AdvertisedMaxRecordCount { get; set; }

    /// <summary>When set, requests must carry <c>X-Esri-Authorization: Bearer {token}</c>; otherwise error 499 (or 498 for a wrong token).</summary>
    public string? RequiredToken { get; set; }

    /// <summary>Runs before a request is served, with its number (from 1); returns true when it answered the request itself.</summary>
    public Func<HttpContext, int, Task<bool>>? Intercept { get; set; }

    /// <summary>Every request: decoded path and query, and the X-Esri-Authorization header as received.</summary>
    public ConcurrentQueue<(string Target, string? Authorization)> Requests { get; } = new();

    /// <summary>The decoded query-string parameters of every feature query (not counts), in order.</summary>
    public IEnumerable<Dictionary<string, string>> FeatureQueries =>
        Requests.Where(r => r.Target.Contains("/query?", StringComparison.Ordinal) && !r.Target.Contains("returnCountOnly=true", StringComparison.Ordinal))
            .Select(r => Parameters(r.Target[(r.Target.IndexOf('?') + 1)..], decoded: true));

    public static async Task<FakeFeatureServer> StartAsync(IReadOnlyList<(string Name, string Type)>? fields = null)
    {
        var fake = new FakeFeatureServer(fields ?? DetroitFields);
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>A polygon layer with <paramref name="fields"/>; add features with <see cref="AddPolygon"/>.</summary>
    public static async Task<FakeFeatureServer> StartPolygonsAsync(IReadOnlyList<(string Name, string Type)> fields)
    {
        var fake = new FakeFeatureServer(fields) { _polygons = true };
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>When set, the server ignores <c>outSR</c> and always answers in Web Mercator (a server that does not project).</summary>
    public bool IgnoreOutSpatialReference { get; set; }

    /// <summary>Adds a polygon feature: its attributes and its rings in longitude/latitude, as ArcGIS orders them (null: no geometry).</summary>
    public void AddPolygon(IReadOnlyDictionary<string, object?> attributes, double[][][]? rings)
    {
        lock (_lock)
        {
            Add([attributes]);
            if (rings is not null)
            {
                _rings[(long)_features[^1][ObjectIdField]!] = rings;
            }
        }
    }

    /// <summary>Adds features (attribute name to value: string, number, or DateTimeOffset for dates); object ids follow in order.</summary>
    public void Add(IEnumerable<IReadOnlyDictionary<string, object?>> features)
    {
        lock (_lock)
        {
            foreach (var attributes in features)
            {
                var feature = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { [ObjectIdField] = (long)_features.Count + 1 };
                foreach (var (name, value) in attributes)
                {
                    if (!_types.ContainsKey(name))
                    {
                        throw new ArgumentException($"The layer has no field '{name}'.");
                    }
                    feature[name] = value is DateTimeOffset instant ? instant.ToUnixTimeMilliseconds() : value;
                }
                _features.Add(feature);
            }
        }
    }

    /// <summary>The layer's attributes of a portal row: floating times back to instants (Detroit), the id as a number.</summary>
    public static Dictionary<string, object?> Attributes(PortalRow row) => new()
    {
        ["issue_id"] = long.Parse(row.Id, CultureInfo.InvariantCulture),
        ["request_type"] = row.RequestTypeTitle,
        ["status"] = row.Status,
        ["priority_code"] = row.PriorityCode,
        ["report_method"] = row.ReportMethod,
        ["created_at"] = CityTime.FromFloating(row.CreatedAt),
        ["acknowledged_at"] = Instant(row.AcknowledgedAt),
        ["updated_at"] = CityTime.FromFloating(row.UpdatedAt),
        ["closed_at"] = Instant(row.ClosedAt),
        ["reopened_at"] = Instant(row.ReopenedAt),
        ["num_days_to_close"] = row.DaysToClose,
        ["num_hours_to_close"] = row.DaysToClose * 24,
        ["address"] = row.Address,
        ["neighborhood"] = row.Neighborhood,
        ["council_district"] = row.CouncilDistrict,
        ["zip_code"] = "48226",
        ["latitude"] = row.Latitude,
        ["longitude"] = row.Longitude,
    };

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private static DateTimeOffset? Instant(DateTime? floating) => floating is { } value ? CityTime.FromFloating(value) : null;

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _requests);
        var request = context.Request;
        var target = Uri.UnescapeDataString(request.Path + request.QueryString);
        Requests.Enqueue((target, request.Headers["X-Esri-Authorization"].FirstOrDefault()));
        if (Intercept is not null && await Intercept(context, number))
        {
            return;
        }
        var parameters = Parameters(request.QueryString.Value?.TrimStart('?') ?? "", decoded: false);
        if (RequiredToken is not null)
        {
            var header = request.Headers["X-Esri-Authorization"].FirstOrDefault();
            if (header is null)
            {
                await ErrorAsync(context, 499, "Token Required", []);
                return;
            }
            if (header != "Bearer " + RequiredToken)
            {
                await ErrorAsync(context, 498, "Invalid Token", []);
                return;
            }
        }
        var path = request.Path.Value!.Trim('/');
        if (path == LayerPath && parameters.GetValueOrDefault("f") == "json")
        {
            await WriteAsync(context, json =>
            {
                json.WriteNumber("currentVersion", 11.3);
                json.WriteNumber("id", 0);
                json.WriteString("name", "improve_detroit");
                json.WriteString("type", "Feature Layer");
                json.WriteString("geometryType", _polygons ? "esriGeometryPolygon" : "esriGeometryPoint");
                json.WriteString("objectIdField", ObjectIdField);
                json.WriteNumber("maxRecordCount", AdvertisedMaxRecordCount ?? MaxRecordCount);
                json.WriteStartObject("advancedQueryCapabilities");
                json.WriteBoolean("supportsPagination", true);
                json.WriteEndObject();
                WriteFields(json, _fields);
            });
            return;
        }
        if (path == LayerPath + "/query")
        {
            await QueryAsync(context, parameters);
            return;
        }
        await ErrorAsync(context, 400, "Invalid URL", ["Invalid URL"]);
    }

    private async Task QueryAsync(HttpContext context, Dictionary<string, string> parameters)
    {
        if (parameters.GetValueOrDefault("f") != "json")
        {
            await ErrorAsync(context, 400, "Invalid or missing input parameters.", ["'f' must be json here"]);
            return;
        }
        List<Dictionary<string, object?>> matched;
        try
        {
            var where = FakeWhere.Parse(parameters.GetValueOrDefault("where") ?? throw new FormatException("missing"), _types);
            lock (_lock)
            {
                matched = [.. _features.Where(where)];
            }
        }
        catch (FormatException)
        {
            await ErrorAsync(context, 400, "Unable to complete operation.", ["'where' parameter is invalid"]);
            return;
        }
        if (parameters.GetValueOrDefault("returnCountOnly") == "true")
        {
            await WriteAsync(context, json => json.WriteNumber("count", matched.Count));
            return;
        }
        var outFields = (parameters.GetValueOrDefault("outFields") ?? "*").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (outFields is ["*"])
        {
            outFields = [.. _fields.Select(f => f.Name)];
        }
        if (outFields.FirstOrDefault(f => !_types.ContainsKey(f)) is { } unknown)
        {
            await ErrorAsync(context, 400, "Unable to complete operation.", [$"Invalid field: {unknown} parameter is invalid"]);
            return;
        }
        if (parameters.GetValueOrDefault("orderByFields") is { Length: > 0 } order)
        {
            var (field, descending) = order.Split(' ', StringSplitOptions.RemoveEmptyEntries) switch
            {
                [var f] => (f, false),
                [var f, var d] when d.Equals("ASC", StringComparison.OrdinalIgnoreCase) || d.Equals("DESC", StringComparison.OrdinalIgnoreCase) =>
                    (f, d.Equals("DESC", StringComparison.OrdinalIgnoreCase)),
                _ => ("", false),
            };
            if (!_types.ContainsKey(field))
            {
                await ErrorAsync(context, 400, "Unable to complete operation.", ["'orderByFields' parameter is invalid"]);
                return;
            }
            matched = [.. descending ? matched.OrderByDescending(f => f.GetValueOrDefault(field), Comparer<object?>.Create(Compare))
                : matched.OrderBy(f => f.GetValueOrDefault(field), Comparer<object?>.Create(Compare))];
        }
        var offset = int.Parse(parameters.GetValueOrDefault("resultOffset") ?? "0", CultureInfo.InvariantCulture);
        var count = Math.Min(int.Parse(parameters.GetValueOrDefault("resultRecordCount") ?? $"{MaxRecordCount}", CultureInfo.InvariantCulture), MaxRecordCount);
        var page = matched.Skip(offset).Take(count).ToList();
        var geometry = parameters.GetValueOrDefault("returnGeometry") != "false";
        var lonLat = !_polygons || (parameters.GetValueOrDefault("outSR") == "4326" && !IgnoreOutSpatialReference);
        await WriteAsync(context, json =>
        {
            json.WriteString("objectIdFieldName", ObjectIdField);
            json.WriteString("geometryType", _polygons ? "esriGeometryPolygon" : "esriGeometryPoint");
            json.WriteStartObject("spatialReference");
            json.WriteNumber("wkid", lonLat ? 4326 : 102100);
            json.WriteNumber("latestWkid", lonLat ? 4326 : 3857);
            json.WriteEndObject();
            WriteFields(json, [.. outFields.Select(f => (f, _types[f]))]);
            json.WriteStartArray("features");
            foreach (var feature in page)
            {
                json.WriteStartObject();
                json.WriteStartObject("attributes");
                foreach (var field in outFields)
                {
                    json.WritePropertyName(field);
                    JsonSerializer.Serialize(json, feature.GetValueOrDefault(field));
                }
                json.WriteEndObject();
                if (geometry && _polygons)
                {
                    WriteRings(json, _rings.GetValueOrDefault((long)feature[ObjectIdField]!), lonLat);
                }
                else if (geometry)
                {
                    json.WriteStartObject("geometry");
                    json.WriteNumber("x", Convert.ToDouble(feature.GetValueOrDefault("longitude") ?? 0.0, CultureInfo.InvariantCulture));
                    json.WriteNumber("y", Convert.ToDouble(feature.GetValueOrDefault("latitude") ?? 0.0, CultureInfo.InvariantCulture));
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (offset + page.Count < matched.Count)
            {
                json.WriteBoolean("exceededTransferLimit", true);
            }
        });
    }

    /// <summary>A polygon geometry, or null; in longitude/latitude or projected to Web Mercator (EPSG:3857).</summary>
    private static void WriteRings(Utf8JsonWriter json, double[][][]? rings, bool lonLat)
    {
        json.WritePropertyName("geometry");
        if (rings is null)
        {
            json.WriteNullValue();
            return;
        }
        const double Radius = 6378137;
        json.WriteStartObject();
        json.WriteStartArray("rings");
        foreach (var ring in rings)
        {
            json.WriteStartArray();
            foreach (var point in ring)
            {
                json.WriteStartArray();
                json.WriteNumberValue(lonLat ? point[0] : Radius * point[0] * Math.PI / 180);
                json.WriteNumberValue(lonLat ? point[1] : Radius * Math.Log(Math.Tan(Math.PI / 4 + point[1] * Math.PI / 360)));
                json.WriteEndArray();
            }
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (string x, string y) => string.CompareOrdinal(x, y),
        _ => Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture)),
    };

    private static void WriteFields(Utf8JsonWriter json, IReadOnlyList<(string Name, string Type)> fields)
    {
        json.WriteStartArray("fields");
        foreach (var (name, type) in fields)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("type", type);
            json.WriteString("alias", name);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static Task ErrorAsync(HttpContext context, int code, string message, string[] details) =>
        WriteAsync(context, json =>
        {
            json.WriteStartObject("error");
            json.WriteNumber("code", code);
            json.WriteString("message", message);
            json.WriteStartArray("details");
            foreach (var detail in details)
            {
                json.WriteStringValue(detail);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        });

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> body)
    {
        // ArcGIS answers errors with HTTP 200 too.
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        await context.Response.Body.WriteAsync(buffer.ToArray());
    }

    private static Dictionary<string, string> Parameters(string query, bool decoded) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length < 2 ? "" : decoded ? p[1] : Uri.UnescapeDataString(p[1].Replace('+', ' ')), StringComparer.OrdinalIgnoreCase);
}
