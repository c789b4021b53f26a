using ServiceRequests.Frames;

namespace ServiceRequests.Portal;

/// <summary>
/// The public table the city publishes to its open-data portal: the one shape every source
/// (bundled sample, Socrata, ArcGIS, the sync store's public export) is loaded into, and the
/// column names every metric reads. Timestamps are floating (city wall-clock time); the point
/// column <see cref="Location"/> becomes <see cref="Latitude"/> and <see cref="Longitude"/> in a DataFrame.
/// </summary>
public static class PortalSchema
{
    /// <summary><c>id</c>: the SeeClickFix issue id, as text.</summary>
    public const string Id = "id";
    /// <summary><c>status</c>: Open, Acknowledged, Closed or Archived.</summary>
    public const string Status = "status";
    /// <summary><c>request_type_title</c>: the request type; the key of SLAs and metrics.</summary>
    public const string RequestTypeTitle = "request_type_title";
    /// <summary><c>description</c>: the reporter's text (redacted for some types).</summary>
    public const string Description = "description";
    /// <summary><c>created_at</c>: when the issue was reported.</summary>
    public const string CreatedAt = "created_at";
    /// <summary><c>acknowledged_at</c>: when the city acknowledged it.</summary>
    public const string AcknowledgedAt = "acknowledged_at";
    /// <summary><c>closed_at</c>: when it was (last) closed.</summary>
    public const string ClosedAt = "closed_at";
    /// <summary><c>reopened_at</c>: when it was last re-opened; set means re-opened.</summary>
    public const string ReopenedAt = "reopened_at";
    /// <summary><c>updated_at</c>: last change.</summary>
    public const string UpdatedAt = "updated_at";
    /// <summary><c>days_to_close</c>: (closed − created) in days, elapsed time.</summary>
    public const string DaysToClose = "days_to_close";
    /// <summary><c>report_method</c>: how it was reported.</summary>
    public const string ReportMethod = "report_method";
    /// <summary><c>priority_code</c>: the city's priority.</summary>
    public const string PriorityCode = "priority_code";
    /// <summary><c>canonical_issue_id</c>: set when closed as a duplicate of that issue.</summary>
    public const string CanonicalIssueId = "canonical_issue_id";
    /// <summary><c>web_url</c>: the issue's public page.</summary>
    public const string WebUrl = "web_url";
    /// <summary><c>address</c>: street address (redacted for some types).</summary>
    public const string Address = "address";
    /// <summary><c>neighborhood</c>: Detroit neighborhood name.</summary>
    public const string Neighborhood = "neighborhood";
    /// <summary><c>council_district</c>: city council district, 1–7.</summary>
    public const string CouncilDistrict = "council_district";
    /// <summary><c>location</c>: the point (portal column; a DataFrame has latitude and longitude instead).</summary>
    public const string Location = "location";
    /// <summary><c>latitude</c>: DataFrame column from <see cref="Location"/>.</summary>
    public const string Latitude = "latitude";
    /// <summary><c>longitude</c>: DataFrame column from <see cref="Location"/>.</summary>
    public const string Longitude = "longitude";

    /// <summary>
    /// The portal's columns, in order: the one place that names each column with its type, its
    /// description and the <see cref="PortalRow"/> property it comes from. The schema, the JSON and
    /// Parquet copies and the store's public CSV are all written from this table.
    /// </summary>
    internal static IReadOnlyList<PortalColumn> Columns { get; } =
    [
        new PortalColumn.Text(Id, "SeeClickFix issue id.", r => r.Id),
        new PortalColumn.Text(Status, "Open, Acknowledged, Closed or Archived.", r => r.Status),
        new PortalColumn.Text(RequestTypeTitle, "Request type (category).", r => r.RequestTypeTitle),
        new PortalColumn.Text(Description, "Reporter's description; empty for redacted types.", r => r.Description),
        new PortalColumn.Timestamp(CreatedAt, "Reported at, city local time.", r => r.CreatedAt),
        new PortalColumn.Timestamp(AcknowledgedAt, "Acknowledged at, city local time.", r => r.AcknowledgedAt),
        new PortalColumn.Timestamp(ClosedAt, "Closed at, city local time.", r => r.ClosedAt),
        new PortalColumn.Timestamp(ReopenedAt, "Last re-opened at, city local time.", r => r.ReopenedAt),
        new PortalColumn.Timestamp(UpdatedAt, "Last updated at, city local time.", r => r.UpdatedAt),
        new PortalColumn.Number(DaysToClose, "(closed_at − created_at) in days, elapsed time.", r => r.DaysToClose),
        new PortalColumn.Text(ReportMethod, "How the issue was reported.", r => r.ReportMethod),
        new PortalColumn.Whole(PriorityCode, ColumnType.Integer, "The city's priority code.", r => r.PriorityCode),
        new PortalColumn.Whole(CanonicalIssueId, ColumnType.Long, "Id of the issue this one duplicates.", r => r.CanonicalIssueId),
        new PortalColumn.Text(WebUrl, "Public web page of the issue.", r => r.WebUrl),
        new PortalColumn.Text(Address, "Street address; empty for redacted types.", r => r.Address),
        new PortalColumn.Text(Neighborhood, "Neighborhood.", r => r.Neighborhood),
        new PortalColumn.Whole(CouncilDistrict, ColumnType.Integer, "City council district (1–7).", r => r.CouncilDistrict),
        new PortalColumn.Point(Location, "Point (longitude, latitude); empty for redacted types.",
            r => r is { Latitude: { } lat, Longitude: { } lng } ? (lat, lng) : null),
    ];

    /// <summary>How the portal's columns are typed in a DataFrame (the point becomes latitude and longitude).</summary>
    internal static IReadOnlyList<ColumnSpec> FrameColumns { get; } =
        [.. Columns.Select(c => c.FrameType == ColumnType.Point
            ? new ColumnSpec(c.Name, c.FrameType) { LatitudeName = Latitude, LongitudeName = Longitude }
            : new ColumnSpec(c.Name, c.FrameType))];

    /// <summary>The DataFrame column names of the portal shape, in order.</summary>
    public static IReadOnlyList<string> FrameColumnNames { get; } = [.. FrameColumns.SelectMany(c => c.OutputNames)];
}
