using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServiceRequests.Portal;
using ServiceRequests.Socrata;

namespace ServiceRequests.TestSupport;

/// <summary>
/// A Socrata portal on 127.0.0.1 for one dataset, over an in-memory table keyed by the row
/// identifier <c>id</c>: the SODA 2.x resource endpoint (<c>GET /resource/{id}.json</c> with
/// <c>$select</c>, <c>$where</c>, <c>$order</c>, <c>$limit</c> (default 1,000, at most 50,000),
/// <c>$offset</c>, <c>$q</c>; the <c>X-SODA2-Fields</c>/<c>X-SODA2-Types</c> headers; null fields
/// left out) and the upsert endpoint (<c>POST</c>, HTTP Basic, <c>:deleted</c>, partial updates,
/// the <c>Rows Created/Updated/Deleted</c>/<c>Errors</c> report, a delete of a missing id counting
/// as an error as on the real portal), and the dataset's metadata (<c>GET /api/views/{id}.json</c>:
/// <c>columns</c> with their ids and field names, <c>rowIdentifierColumnId</c> when the dataset has
/// a row identifier, <c>rowsUpdatedAt</c>). Without a row identifier an upsert appends every row
/// as a new one, and a <c>:deleted</c> row is an error, as on the portal. Errors use Socrata's body
/// <c>{"code": ..., "error": true, "message": ...}</c>. Failures are injected with
/// <see cref="Intercept"/> and <see cref="LoseUpsertResponse"/>.
/// </summary>
internal sealed class FakeSocrata : IAsyncDisposable
{
    public const string DatasetId = "abcd-1234";
    public const string User = "publisher@example.org";
    public const string Password = "pa55-W0rd-never-printed";
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] SystemFields = [":id", ":created_at", ":updated_at", ":version"];
    private readonly object _lock = new();
    private readonly Dictionary<string, Row> _rows = new(StringComparer.Ordinal);
    private readonly List<string> _fields;
    private readonly Dictionary<string, string> _types;
    private LoopbackServer? _server;
    private long _clock;
    private int _created;
    private int _requests;
    private int _posts;

    private FakeSocrata(IReadOnlyList<(string Field, string Type)> schema)
    {
        _fields = [.. schema.Select(s => s.Field)];
        _types = schema.ToDictionary(s => s.Field, s => s.Type);
        _types[":id"] = "row_identifier";
        _types[":version"] = "row_version";
        _types[":created_at"] = "fixed_timestamp";
        _types[":updated_at"] = "fixed_timestamp";
    }

    /// <summary>The portal schema: the 18 public columns with their Socrata types.</summary>
    public static IReadOnlyList<(string Field, string Type)> PortalFields { get; } = [.. PortalSchema.Columns.Select(c => (c.Name, c.SocrataType))];

    public Uri Portal => _server!.BaseAddress;

    public Uri Resource => new(Portal, $"resource/{DatasetId}.json");

    /// <summary>The dataset's row identifier: a field name, or null for none (default <c>id</c>).</summary>
    public string? RowIdentifier { get; set; } = PortalSchema.Id;

    /// <summary>Whether responses carry X-SODA2-Fields / X-SODA2-Types (default true).</summary>
    public bool SendTypeHeaders { get; set; } = true;

    /// <summary>Runs before a request is served, with its number (from 1); returns true when it answered the request itself.</summary>
    public Func<HttpContext, int, Task<bool>>? Intercept { get; set; }

    /// <summary>For the n-th upsert (from 1): apply it, then answer 500 as if the response were lost.</summary>
    public Func<int, bool>? LoseUpsertResponse { get; set; }

    /// <summary>Called before each GET is answered, with its number among GETs (from 1): lets a test change rows mid-pull.</summary>
    public Action<int>? BeforeGet { get; set; }

    /// <summary>
    /// For the n-th GET of rows (from 1): answer 202 "Request processing" as the portal does while
    /// it prepares a result (its documentation: retry, and a 200 follows), with this
    /// <c>Retry-After</c> (seconds; empty for none), and a body that would read as no rows.
    /// Null: not processing.
    /// </summary>
    public Func<int, string?>? Processing { get; set; }

    /// <summary>Every request: method, decoded path and query, and the secrets' headers as received.</summary>
    public ConcurrentQueue<(string Method, string Target, string? AppToken, string? Authorization)> Requests { get; } = new();

    public IEnumerable<string> Queries => Requests.Where(r => r.Method == "GET").Select(r => r.Target);

    public static async Task<FakeSocrata> StartAsync(IReadOnlyList<(string Field, string Type)>? schema = null)
    {
        var fake = new FakeSocrata(schema ?? PortalFields);
        fake._server = await LoopbackServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    /// <summary>Adds or replaces rows (each with an "id"), as the dataset's owner would.</summary>
    public void Put(IEnumerable<JsonObject> rows)
    {
        lock (_lock)
        {
            foreach (var row in rows)
            {
                Apply(row);
            }
        }
    }

    /// <summary>Changes a row (a new :updated_at).</summary>
    public void Touch(string id, Action<JsonObject> change)
    {
        lock (_lock)
        {
            var row = _rows[id];
            change(row.Values);
            row.UpdatedAt = Tick();
        }
    }

    /// <summary>The rows' ids with their internal row ids (<c>:id</c>), in <c>:id</c> order.</summary>
    public List<KeyValuePair<string, string>> SystemIds()
    {
        lock (_lock)
        {
            return [.. _rows.Select(r => KeyValuePair.Create(r.Key, r.Value.SystemId)).OrderBy(r => r.Value, StringComparer.Ordinal)];
        }
    }

    public void Remove(string id)
    {
        lock (_lock)
        {
            _rows.Remove(id);
        }
    }

    /// <summary>A copy of the table: id to its fields (null fields absent).</summary>
    public Dictionary<string, JsonObject> Table()
    {
        lock (_lock)
        {
            return _rows.ToDictionary(r => r.Key, r => (JsonObject)r.Value.Values.DeepClone());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    private sealed class Row(string systemId, DateTimeOffset created) : FakeSoql.IRow
    {
        public string SystemId { get; } = systemId;
        public DateTimeOffset CreatedAt { get; } = created;
        public DateTimeOffset UpdatedAt { get; set; } = created;
        public JsonObject Values { get; } = [];

        public string? Value(string field) => field switch
        {
            ":id" => SystemId,
            ":created_at" => Fixed(CreatedAt),
            ":updated_at" => Fixed(UpdatedAt),
            ":version" => "rv-" + UpdatedAt.ToUnixTimeSeconds(),
            _ => Values[field] switch
            {
                null => null,
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                var node => node.ToJsonString(),
            },
        };
    }

    private static string Fixed(DateTimeOffset value) => value.UtcDateTime.ToString(Soql.FixedFormat, CultureInfo.InvariantCulture);

    private DateTimeOffset Tick() => Epoch.AddSeconds(++_clock);

    /// <summary>Upserts one row object; returns "created", "updated", "deleted" or an error.</summary>
    private string Apply(JsonObject change)
    {
        var identifier = RowIdentifier ?? PortalSchema.Id;
        if (change[identifier] is not JsonValue idValue || idValue.GetValueKind() != JsonValueKind.String || idValue.GetValue<string>() is not { Length: > 0 } id)
        {
            return "error";
        }
        if (change[":deleted"] is JsonValue deleted && deleted.GetValueKind() == JsonValueKind.True)
        {
            return RowIdentifier is not null && _rows.Remove(id) ? "deleted" : "error";
        }
        if (RowIdentifier is null)
        {
            // No row identifier: every row is a new one.
            id = $"{id}#{_created + 1}";
        }
        if (change.Any(p => !_fields.Contains(p.Key)))
        {
            return "error";
        }
        var created = !_rows.TryGetValue(id, out var row);
        if (created)
        {
            // Internal ids in an order unrelated to insertion, as on a real portal, never reused.
            var n = ++_created;
            var hash = (uint)(n * 2654435761u);
            row = new Row($"row-{hash:x8}~{n:x4}", Tick());
            _rows[id] = row;
        }
        foreach (var (field, value) in change)
        {
            if (value is null)
            {
                row!.Values.Remove(field);
            }
            else
            {
                row!.Values[field] = value.DeepClone();
            }
        }
        if (!created)
        {
            row!.UpdatedAt = Tick();
        }
        return created ? "created" : "updated";
    }

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _requests);
        var request = context.Request;
        var target = Uri.UnescapeDataString(request.Path + request.QueryString);
        Requests.Enqueue((request.Method, target, request.Headers["X-App-Token"].FirstOrDefault(), request.Headers.Authorization.FirstOrDefault()));
        if (Intercept is { } intercept && await intercept(context, number))
        {
            return;
        }
        if (request.Path == $"/api/views/{DatasetId}.json" && HttpMethods.IsGet(request.Method))
        {
            await MetadataAsync(context);
            return;
        }
        if (request.Path != $"/resource/{DatasetId}.json")
        {
            await Error(context, 404, "not_found", $"Dataset not found: {request.Path}");
            return;
        }
        try
        {
            if (HttpMethods.IsGet(request.Method))
            {
                await QueryAsync(context);
            }
            else if (HttpMethods.IsPost(request.Method))
            {
                await UpsertAsync(context);
            }
            else
            {
                await Error(context, 405, "method_not_allowed", "Method not allowed.");
            }
        }
        catch (FakeSoqlException e)
        {
            await Error(context, 400, e.Code, e.Message);
        }
    }

    private async Task QueryAsync(HttpContext context)
    {
        var gets = Requests.Count(r => r.Method == "GET");
        if (Processing?.Invoke(gets) is { } retryAfter)
        {
            context.Response.StatusCode = 202;
            if (retryAfter.Length > 0)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync("[]");
            return;
        }
        BeforeGet?.Invoke(gets);
        var query = context.Request.Query;
        foreach (var key in query.Keys)
        {
            if (key is not ("$select" or "$where" or "$order" or "$limit" or "$offset" or "$q"))
            {
                throw new FakeSoqlException(FakeSoql.Malformed, $"Unrecognized query parameter: {key}");
            }
        }
        var limit = query.TryGetValue("$limit", out var l) ? Whole(l!, "$limit") : 1000;
        if (limit > 50_000)
        {
            throw new FakeSoqlException(FakeSoql.Malformed, "$limit must be <= 50000 on this endpoint.");
        }
        var offset = query.TryGetValue("$offset", out var o) ? Whole(o!, "$offset") : 0;
        var selected = FakeSoql.Select(query.TryGetValue("$select", out var s) ? s! : "*", SystemFields, _fields, _types);
        var where = query.TryGetValue("$where", out var w) ? FakeSoql.Where(w!, _types) : null;
        var order = query.TryGetValue("$order", out var ord) ? FakeSoql.Order(ord!, _types) : null;
        var search = query.TryGetValue("$q", out var q) ? q.ToString() : null;
        List<(string Field, string? Value, JsonNode? Node)[]> page;
        lock (_lock)
        {
            IEnumerable<Row> rows = _rows.Values;
            if (where is not null)
            {
                rows = rows.Where(r => where(r));
            }
            if (search is not null)
            {
                rows = rows.Where(r => _fields.Any(f => _types[f] == "text" && r.Value(f)?.Contains(search, StringComparison.OrdinalIgnoreCase) == true));
            }
            var list = rows.ToList();
            if (order is not null)
            {
                list.Sort((a, b) => order(a, b));
            }
            page = [.. list.Skip(offset).Take(limit).Select(r => selected.Select(f => (f, r.Value(f), f.StartsWith(':') ? null : r.Values[f]?.DeepClone())).ToArray())];
        }
        if (SendTypeHeaders)
        {
            context.Response.Headers["X-SODA2-Fields"] = JsonSerializer.Serialize(selected);
            context.Response.Headers["X-SODA2-Types"] = JsonSerializer.Serialize(selected.Select(f => _types[f]));
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new StringBuilder("[");
        foreach (var row in page)
        {
            var json = new JsonObject();
            foreach (var (field, value, node) in row)
            {
                if (value is not null)
                {
                    json[field] = node ?? JsonValue.Create(value);
                }
            }
            body.Append(body.Length > 1 ? ",\n" : "\n").Append(json.ToJsonString());
        }
        await context.Response.WriteAsync(body.Append("\n]\n").ToString());
    }

    private async Task MetadataAsync(HttpContext context)
    {
        var view = new JsonObject { ["id"] = DatasetId, ["name"] = "Improve Detroit: Submitted Issues", ["displayType"] = "table", ["viewType"] = "tabular" };
        var columns = new JsonArray();
        for (var i = 0; i < _fields.Count; i++)
        {
            columns.Add(new JsonObject
            {
                ["id"] = 500_000 + i,
                ["name"] = _fields[i].Replace('_', ' '),
                ["dataTypeName"] = _types[_fields[i]],
                ["fieldName"] = _fields[i],
                ["position"] = i + 1,
            });
            if (_fields[i] == RowIdentifier)
            {
                view["rowIdentifierColumnId"] = 500_000 + i;
            }
        }
        lock (_lock)
        {
            view["rowsUpdatedAt"] = (_rows.Count == 0 ? Epoch : _rows.Values.Max(r => r.UpdatedAt)).ToUnixTimeSeconds();
        }
        view["columns"] = columns;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(view.ToJsonString());
    }

    private async Task UpsertAsync(HttpContext context)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        if (authorization is null)
        {
            await Error(context, 401, "authentication_required", "You must be logged in to modify this dataset.");
            return;
        }
        if (authorization != expected)
        {
            await Error(context, 403, "permission_denied", "You do not have permission to modify this dataset.");
            return;
        }
        var post = Interlocked.Increment(ref _posts);
        JsonArray? rows;
        try
        {
            rows = await JsonSerializer.DeserializeAsync<JsonNode>(context.Request.Body) as JsonArray;
        }
        catch (JsonException e)
        {
            await Error(context, 400, "invalid_request", $"Malformed JSON: {e.Message}");
            return;
        }
        if (rows is null)
        {
            await Error(context, 400, "invalid_request", "Expected a JSON array of rows.");
            return;
        }
        var counts = new Dictionary<string, int> { ["created"] = 0, ["updated"] = 0, ["deleted"] = 0, ["error"] = 0 };
        lock (_lock)
        {
            foreach (var row in rows)
            {
                counts[row is JsonObject change ? Apply(change) : "error"]++;
            }
        }
        if (LoseUpsertResponse?.Invoke(post) == true)
        {
            await Error(context, 500, "internal_error", "Internal error (the change was applied, the answer lost).");
            return;
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, int>
        {
            ["By RowIdentifier"] = counts["created"] + counts["updated"] + counts["deleted"],
            ["Rows Updated"] = counts["updated"],
            ["Rows Deleted"] = counts["deleted"],
            ["Rows Created"] = counts["created"],
            ["Errors"] = counts["error"],
            ["By SID"] = 0,
        }));
    }

    private static int Whole(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FakeSoqlException(FakeSoql.Malformed, $"{name} must be a whole number, got '{text}'.");

    public static async Task Error(HttpContext context, int status, string code, string message, string? retryAfter = null)
    {
        context.Response.StatusCode = status;
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { code, error = true, message }));
    }
}

/// <summary>Rows for the fake portal, in the portal's JSON shape.</summary>
internal static class FakeRows
{
    /// <summary>The JSON object the portal serves for <paramref name="row"/> (null fields left out).</summary>
    public static JsonObject Json(PortalRow row)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            PortalJson.WriteRow(writer, row);
        }
        return JsonNode.Parse(buffer.ToArray())!.AsObject();
    }

    /// <summary><paramref name="count"/> synthetic portal rows (deterministic).</summary>
    public static List<PortalRow> Sample(int count, int seed = 5) =>
        [.. ServiceRequests.Sample.SampleGenerator.Generate(new ServiceRequests.Sample.SampleOptions { Issues = count, Seed = seed }).Select(i => i.ToPortalRow())];
}
