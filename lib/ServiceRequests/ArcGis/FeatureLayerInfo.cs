using System.Text.Json;
using ServiceRequests.IO;

namespace ServiceRequests.ArcGis;

/// <summary>What a layer's metadata (<c>GET {layer}?f=json</c>) says that a load needs.</summary>
/// <param name="Name">The layer's name.</param>
/// <param name="ObjectIdField">The object id field: unique and stable, so pages are ordered by it.</param>
/// <param name="MaxRecordCount">The most features the layer returns per query.</param>
/// <param name="SupportsPagination">Whether queries take <c>resultOffset</c> / <c>resultRecordCount</c>.</param>
/// <param name="Fields">Field name → ArcGIS field type (e.g. <c>esriFieldTypeDate</c>), names compared without regard to case.</param>
internal sealed record FeatureLayerInfo(string Name, string ObjectIdField, int MaxRecordCount, bool SupportsPagination,
    IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>The type of ArcGIS date fields: epoch milliseconds, UTC.</summary>
    public const string DateType = "esriFieldTypeDate";

    /// <summary>The type of the object id field.</summary>
    public const string ObjectIdType = "esriFieldTypeOID";

    /// <summary>The <c>maxRecordCount</c> assumed when the metadata gives none.</summary>
    public const int DefaultMaxRecordCount = 1000;

    /// <summary>The layer's <c>geometryType</c> (e.g. <c>esriGeometryPolygon</c>); null for a table or when not stated.</summary>
    public string? GeometryType { get; init; }

    /// <summary>Reads layer metadata JSON. An ArcGIS error body yields its <paramref name="error"/> and null.</summary>
    /// <exception cref="ServiceRequestsException">The JSON is not layer metadata (no fields, no object id field); the message names <paramref name="source"/>.</exception>
    internal static FeatureLayerInfo? Parse(ReadOnlyMemory<byte> json, string source, out JsonElement? error)
    {
        error = null;
        using (var document = JsonInput.Parse(json, e => $"{source}: the layer metadata is not JSON ({e.Message})."))
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ServiceRequestsException($"{source}: the layer metadata is not a JSON object.");
            }
            if (root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                error = e.Clone();
                return null;
            }
            if (!root.TryGetProperty("fields", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new ServiceRequestsException($"{source}: the metadata has no 'fields' list; is this the address of a layer (…/FeatureServer/0) rather than of the service?");
            }
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string? objectId = Text(root, "objectIdField");
            foreach (var field in list.EnumerateArray())
            {
                var name = field.ValueKind == JsonValueKind.Object ? Text(field, "name") : null;
                var type = field.ValueKind == JsonValueKind.Object ? Text(field, "type") : null;
                if (name is null || type is null)
                {
                    throw new ServiceRequestsException($"{source}: a field of the layer metadata has no name or type: {field.GetRawText()}");
                }
                fields[name] = type;
                if (objectId is null && type == ObjectIdType)
                {
                    objectId = name;
                }
            }
            if (objectId is null)
            {
                throw new ServiceRequestsException($"{source}: the layer has no object id field, so its pages cannot be ordered.");
            }
            var max = root.TryGetProperty("maxRecordCount", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out var n) && n > 0
                ? n : DefaultMaxRecordCount;
            var paging = !(root.TryGetProperty("advancedQueryCapabilities", out var advanced) && advanced.ValueKind == JsonValueKind.Object
                && advanced.TryGetProperty("supportsPagination", out var p) && p.ValueKind == JsonValueKind.False);
            return new FeatureLayerInfo(Text(root, "name") ?? "", objectId, max, paging, fields) { GeometryType = Text(root, "geometryType") };
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
