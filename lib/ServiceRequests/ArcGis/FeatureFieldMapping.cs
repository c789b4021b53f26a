using ServiceRequests.Frames;
using ServiceRequests.Portal;

namespace ServiceRequests.ArcGis;

/// <summary>
/// Which field of a FeatureServer layer fills which column of the portal-shaped DataFrame
/// (<see cref="PortalSchema.FrameColumnNames"/>). Columns without a field, and columns whose
/// field the layer lacks, stay null; layer fields not named are not downloaded. Field names are
/// matched without regard to case, as ArcGIS does. The default, <see cref="Detroit"/>, fits the
/// city's <c>improve_detroit/FeatureServer/0</c> layer; see docs/arcgis.md for the table.
/// </summary>
public sealed class FeatureFieldMapping
{
    private static readonly HashSet<string> Targets = new(PortalSchema.FrameColumnNames, StringComparer.Ordinal);

    /// <summary>Creates a mapping from portal column name to layer field name.</summary>
    /// <exception cref="ArgumentException">A key is not a portal DataFrame column, a field name is not a plain identifier, or two columns name the same field.</exception>
    public FeatureFieldMapping(IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (column, field) in fields)
        {
            if (!Targets.Contains(column))
            {
                throw new ArgumentException(
                    $"'{column}' is not a column of the portal DataFrame; use one of: {string.Join(", ", PortalSchema.FrameColumnNames)}.", nameof(fields));
            }
            FeatureQuery.CheckFieldName(field, nameof(fields));
            if (!seen.TryAdd(field, column))
            {
                throw new ArgumentException($"The layer field '{field}' is mapped to both '{seen[field]}' and '{column}'; map it to one column.", nameof(fields));
            }
        }
        Fields = new Dictionary<string, string>(fields, StringComparer.Ordinal);
    }

    /// <summary>Portal DataFrame column name → layer field name.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>
    /// Detroit's Improve Detroit layer: <c>issue_id→id</c>, <c>request_type→request_type_title</c>,
    /// <c>num_days_to_close→days_to_close</c>, and <c>status</c>, <c>priority_code</c>,
    /// <c>report_method</c>, <c>created_at</c>, <c>acknowledged_at</c>, <c>updated_at</c>,
    /// <c>closed_at</c>, <c>reopened_at</c>, <c>address</c>, <c>neighborhood</c>,
    /// <c>council_district</c>, <c>latitude</c>, <c>longitude</c> under their own names.
    /// The layer publishes no description, web address or duplicate link: those columns stay null.
    /// </summary>
    public static FeatureFieldMapping Detroit { get; } = new(new Dictionary<string, string>
    {
        [PortalSchema.Id] = "issue_id",
        [PortalSchema.Status] = "status",
        [PortalSchema.RequestTypeTitle] = "request_type",
        [PortalSchema.CreatedAt] = "created_at",
        [PortalSchema.AcknowledgedAt] = "acknowledged_at",
        [PortalSchema.ClosedAt] = "closed_at",
        [PortalSchema.ReopenedAt] = "reopened_at",
        [PortalSchema.UpdatedAt] = "updated_at",
        [PortalSchema.DaysToClose] = "num_days_to_close",
        [PortalSchema.ReportMethod] = "report_method",
        [PortalSchema.PriorityCode] = "priority_code",
        [PortalSchema.Address] = "address",
        [PortalSchema.Neighborhood] = "neighborhood",
        [PortalSchema.CouncilDistrict] = "council_district",
        [PortalSchema.Latitude] = "latitude",
        [PortalSchema.Longitude] = "longitude",
    });

    /// <summary>A copy with <paramref name="column"/> filled from <paramref name="field"/>, or left null when <paramref name="field"/> is null.</summary>
    /// <exception cref="ArgumentException">As for the constructor.</exception>
    public FeatureFieldMapping With(string column, string? field)
    {
        var fields = new Dictionary<string, string>(Fields, StringComparer.Ordinal);
        if (field is null)
        {
            fields.Remove(column);
        }
        else
        {
            fields[column] = field;
        }
        return new FeatureFieldMapping(fields);
    }

    /// <summary>The layer field that fills <paramref name="column"/>.</summary>
    /// <exception cref="ServiceRequestsException">No field is mapped to the column.</exception>
    internal string FieldOf(string column) => Fields.TryGetValue(column, out var field)
        ? field
        : throw new ServiceRequestsException($"No layer field is mapped to '{column}'; add one with FeatureFieldMapping.With(\"{column}\", \"<field>\").");

    /// <summary>
    /// The portal DataFrame's columns as the builder gets them: the point split into two number
    /// columns (<c>latitude</c>, <c>longitude</c>), since a layer carries them as two fields.
    /// </summary>
    internal static IReadOnlyList<ColumnSpec> FrameColumns { get; } =
        [.. PortalSchema.FrameColumns.SelectMany(c => c.Type == ColumnType.Point
            ? new[] { new ColumnSpec(c.LatitudeName, ColumnType.Number), new ColumnSpec(c.LongitudeName, ColumnType.Number) }
            : [c])];

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", Fields.Select(f => $"{f.Value}→{f.Key}"));
}
