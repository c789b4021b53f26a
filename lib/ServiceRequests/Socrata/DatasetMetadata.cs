using System.Globalization;
using System.Text.Json;
using ServiceRequests.IO;

namespace ServiceRequests.Socrata;

/// <summary>
/// What a portal says about a dataset in its views API (<c>GET {portal}/api/views/{id}.json</c>)
/// that publishing depends on: the field name of its row identifier, the column upserts are
/// keyed by (null when it has none, so every upserted row is appended as a new one).
/// </summary>
/// <param name="RowIdentifier">The row identifier's field name, or null.</param>
internal sealed record DatasetMetadata(string? RowIdentifier)
{
    /// <summary>
    /// Reads the views API's answer: <c>rowIdentifierColumnId</c> names a column of
    /// <c>columns</c> (<c>id</c>, <c>fieldName</c>); older answers carry <c>rowIdentifier</c>
    /// (top level or in <c>metadata</c>) as a column id or a field name.
    /// </summary>
    /// <exception cref="ServiceRequestsException">The answer is not a JSON object, or names a row identifier column it does not list; the message names <paramref name="source"/>.</exception>
    public static DatasetMetadata Parse(ReadOnlyMemory<byte> json, string source)
    {
        try
        {
            using var document = JsonInput.Parse(json, e => $"{source}: the answer is not JSON ({e.Message})");
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ServiceRequestsException($"{source}: the answer is {root.ValueKind}, not the dataset's metadata (a JSON object).");
            }
            var columns = Columns(root);
            var named = Named(root, "rowIdentifierColumnId")
                ?? Named(root, "rowIdentifier")
                ?? (root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object ? Named(metadata, "rowIdentifier") : null);
            if (named is not { } identifier)
            {
                return new DatasetMetadata(RowIdentifier: null);
            }
            if (identifier.ColumnId is { } id)
            {
                return columns.TryGetValue(id, out var field)
                    ? new DatasetMetadata(field)
                    : throw new ServiceRequestsException($"{source}: the row identifier is column {id.ToString(CultureInfo.InvariantCulture)}, which the metadata does not list among the dataset's columns.");
            }
            return new DatasetMetadata(identifier.FieldName);
        }
        catch (InvalidOperationException e)
        {
            // A string that is not valid UTF-8.
            throw new ServiceRequestsException($"{source}: the answer is not JSON text ({e.Message})", e);
        }
    }

    /// <summary>The columns' field names by column id.</summary>
    private static Dictionary<long, string> Columns(JsonElement root)
    {
        var columns = new Dictionary<long, string>();
        if (root.TryGetProperty("columns", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var column in list.EnumerateArray())
            {
                if (column.ValueKind == JsonValueKind.Object && Id(column, "id") is { } id
                    && column.TryGetProperty("fieldName", out var field) && field.ValueKind == JsonValueKind.String && field.GetString() is { Length: > 0 } name)
                {
                    columns[id] = name;
                }
            }
        }
        return columns;
    }

    /// <summary>A row identifier property: a column id (a number, or digits in a string), or a field name; null when absent, null or empty.</summary>
    private static (long? ColumnId, string? FieldName)? Named(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var value))
        {
            return null;
        }
        if (Id(element, property) is { } id)
        {
            return (id, null);
        }
        return value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } name ? (null, name) : null;
    }

    private static long? Id(JsonElement element, string property) =>
        !element.TryGetProperty(property, out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n) ? n
        : value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s
        : null;
}
