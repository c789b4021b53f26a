using System.Text.Json;
using ServiceRequests.Frames;
using ServiceRequests.IO;

namespace ServiceRequests.Socrata;

/// <summary>
/// The fields and Socrata types a SODA 2.x response announces in its <c>X-SODA2-Fields</c> and
/// <c>X-SODA2-Types</c> headers (two JSON arrays of strings, aligned by position), and the
/// DataFrame columns they become.
/// </summary>
internal static class SodaFields
{
    /// <summary>The header naming the fields of the response, a JSON array of strings.</summary>
    public const string FieldsHeader = "X-SODA2-Fields";

    /// <summary>The header naming each field's Socrata type, aligned with <see cref="FieldsHeader"/>.</summary>
    public const string TypesHeader = "X-SODA2-Types";

    /// <summary>Parses the two header values into (field, type) pairs, in header order.</summary>
    /// <exception cref="ServiceRequestsException">
    /// A value is not a JSON array of strings, the arrays differ in length, a field is empty or named twice.
    /// </exception>
    public static IReadOnlyList<(string Field, string Type)> Parse(string fields, string types)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(types);
        var names = Strings(fields, FieldsHeader);
        var kinds = Strings(types, TypesHeader);
        if (names.Count != kinds.Count)
        {
            throw new ServiceRequestsException($"{FieldsHeader} names {names.Count} fields but {TypesHeader} gives {kinds.Count} types.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<(string, string)>(names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length == 0)
            {
                throw new ServiceRequestsException($"{FieldsHeader} has an empty field name at position {i + 1}.");
            }
            if (!seen.Add(names[i]))
            {
                throw new ServiceRequestsException($"{FieldsHeader} names the field '{names[i]}' twice.");
            }
            result.Add((names[i], kinds[i].Trim().ToLowerInvariant()));
        }
        return result;
    }

    /// <summary>
    /// How a Socrata type is typed in a DataFrame, or null for types a DataFrame column cannot
    /// hold (polygons, lines, photos, documents, ...), which are left out.
    /// </summary>
    public static ColumnType? FrameType(string socrataType) => socrataType switch
    {
        "text" or "url" or "email" or "html" or "meta_data" or "row_identifier" or "row_version" => ColumnType.Text,
        "number" or "double" or "money" or "percent" or "stars" => ColumnType.Number,
        "floating_timestamp" or "calendar_date" or "fixed_timestamp" or "date" => ColumnType.Timestamp,
        "checkbox" => ColumnType.Boolean,
        "point" or "location" => ColumnType.Point,
        _ => null,
    };

    /// <summary>Whether values of <paramref name="socrataType"/> can be read into a column of <paramref name="frameType"/>.</summary>
    public static bool Fits(ColumnType frameType, string socrataType) => (frameType, FrameType(socrataType)) switch
    {
        (_, null) => false,
        (ColumnType.Text, var t) => t != ColumnType.Point,
        (ColumnType.Number or ColumnType.Integer or ColumnType.Long, ColumnType.Number) => true,
        (var f, var t) => f == t,
    };

    /// <summary>
    /// The DataFrame columns of a response typed by its headers: <paramref name="known"/> columns
    /// (such as the portal schema) keep their own spec, and their order, when the header's type
    /// fits them; other fields follow in header order, typed from their Socrata type. Fields of
    /// types a DataFrame cannot hold are left out.
    /// </summary>
    public static List<ColumnSpec> Columns(IReadOnlyList<(string Field, string Type)> header, IReadOnlyList<ColumnSpec> known)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(known);
        var types = header.ToDictionary(h => h.Field, h => h.Type, StringComparer.Ordinal);
        var columns = new List<ColumnSpec>(header.Count);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in known)
        {
            if (types.TryGetValue(spec.Name, out var type) && Fits(spec.Type, type))
            {
                columns.Add(spec);
                taken.Add(spec.Name);
                foreach (var output in spec.OutputNames)
                {
                    taken.Add(output);
                }
            }
        }
        foreach (var (field, type) in header)
        {
            if (taken.Contains(field) || FrameType(type) is not { } frameType)
            {
                continue;
            }
            var spec = new ColumnSpec(field, frameType);
            if (spec.OutputNames.Any(taken.Contains))
            {
                continue;
            }
            columns.Add(spec);
            foreach (var output in spec.OutputNames)
            {
                taken.Add(output);
            }
        }
        return columns;
    }

    /// <summary>
    /// Checks that every one of <paramref name="columns"/> that the header announces has a type
    /// that fits; columns the header does not name are simply null.
    /// </summary>
    /// <exception cref="ServiceRequestsException">A column's Socrata type does not fit its DataFrame type; the message names both.</exception>
    public static void Check(IReadOnlyList<(string Field, string Type)> header, IReadOnlyList<ColumnSpec> columns, string source)
    {
        var types = header.ToDictionary(h => h.Field, h => h.Type, StringComparer.Ordinal);
        foreach (var spec in columns)
        {
            if (types.TryGetValue(spec.Name, out var type) && !Fits(spec.Type, type))
            {
                throw new ServiceRequestsException(
                    $"{source}: the field '{spec.Name}' is of Socrata type '{type}', which cannot be read as {spec.Type}. " +
                    "The dataset does not have the expected shape; load it without a fixed schema (SocrataClient.LoadAsync without columns) to see its fields.");
            }
        }
    }

    private static List<string> Strings(string json, string header)
    {
        using var document = JsonInput.Parse(json, e => $"{header} is not valid JSON ({e.Message}): {Truncate(json)}");
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new ServiceRequestsException($"{header} is not a JSON array: {Truncate(json)}");
        }
        var values = new List<string>(document.RootElement.GetArrayLength());
        foreach (var item in document.RootElement.EnumerateArray())
        {
            values.Add(item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw new ServiceRequestsException($"{header} holds a {item.ValueKind} where a name is expected: {Truncate(json)}"));
        }
        return values;
    }

    private static string Truncate(string value) => value.Length <= 120 ? value : value[..120] + "…";
}
