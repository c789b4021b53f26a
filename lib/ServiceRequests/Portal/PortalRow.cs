using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Portal;

/// <summary>
/// One row of the public (portal) table; see <see cref="PortalSchema"/>. Built from a
/// <see cref="ServiceRequest"/> by an allowlist: no reporter, agent or assignee data, no
/// question answers, and no description, address or location for redacted request types. The
/// free text that goes out (description, address) has e-mail addresses, phone numbers, SSN-like
/// numbers and the reporter's name replaced (<see cref="PersonalData"/>; in the address only the
/// whole name, since street names are often first or last names).
/// </summary>
internal sealed record PortalRow
{
    /// <summary>Issue id as text.</summary>
    public required string Id { get; init; }
    /// <summary>Status name.</summary>
    public required string Status { get; init; }
    /// <summary>Request type title.</summary>
    public string? RequestTypeTitle { get; init; }
    /// <summary>Description (null when redacted).</summary>
    public string? Description { get; init; }
    /// <summary>Created at, city wall-clock time.</summary>
    public required DateTime CreatedAt { get; init; }
    /// <summary>Acknowledged at, city wall-clock time.</summary>
    public DateTime? AcknowledgedAt { get; init; }
    /// <summary>Closed at, city wall-clock time.</summary>
    public DateTime? ClosedAt { get; init; }
    /// <summary>Last re-opened at, city wall-clock time.</summary>
    public DateTime? ReopenedAt { get; init; }
    /// <summary>Last updated at, city wall-clock time.</summary>
    public required DateTime UpdatedAt { get; init; }
    /// <summary>(closed − created) in days, elapsed time; null while open.</summary>
    public double? DaysToClose { get; init; }
    /// <summary>How it was reported.</summary>
    public string? ReportMethod { get; init; }
    /// <summary>Priority code.</summary>
    public int? PriorityCode { get; init; }
    /// <summary>Id of the issue this one duplicates.</summary>
    public long? CanonicalIssueId { get; init; }
    /// <summary>Public web page.</summary>
    public string? WebUrl { get; init; }
    /// <summary>Street address (null when redacted).</summary>
    public string? Address { get; init; }
    /// <summary>Neighborhood.</summary>
    public string? Neighborhood { get; init; }
    /// <summary>Council district.</summary>
    public int? CouncilDistrict { get; init; }
    /// <summary>Latitude (null when redacted).</summary>
    public double? Latitude { get; init; }
    /// <summary>Longitude (null when redacted).</summary>
    public double? Longitude { get; init; }

    /// <summary>
    /// The public row of <paramref name="issue"/>. SeeClickFix does not carry neighborhood or
    /// council district; pass them when another source (a spatial join) knows them.
    /// </summary>
    /// <param name="issue">The full issue.</param>
    /// <param name="redaction">Which request types lose description, address and location (default: <see cref="PublicRedaction.Default"/>).</param>
    /// <param name="zone">The city's time zone (default Detroit).</param>
    /// <param name="neighborhood">Neighborhood, when known.</param>
    /// <param name="councilDistrict">Council district, when known.</param>
    public static PortalRow From(ServiceRequest issue, PublicRedaction? redaction = null, TimeZoneInfo? zone = null,
        string? neighborhood = null, int? councilDistrict = null)
    {
        ArgumentNullException.ThrowIfNull(issue);
        redaction ??= PublicRedaction.Default;
        var title = issue.RequestType?.Title;
        var redact = redaction.IsRedacted(title);
        DateTime? Local(DateTimeOffset? t) => t is { } v ? CityTime.ToFloating(v, zone) : null;
        return new PortalRow
        {
            Id = issue.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Status = issue.Status.ToString(),
            RequestTypeTitle = title,
            Description = redact ? null : PersonalData.Redact(issue.Description, issue.Reporter?.Name),
            CreatedAt = CityTime.ToFloating(issue.CreatedAt, zone),
            AcknowledgedAt = Local(issue.AcknowledgedAt),
            ClosedAt = Local(issue.ClosedAt),
            ReopenedAt = Local(issue.ReopenedAt),
            UpdatedAt = CityTime.ToFloating(issue.UpdatedAt, zone),
            DaysToClose = issue.ClosedAt is { } closed ? (closed - issue.CreatedAt).TotalDays : null,
            ReportMethod = issue.ReportMethod,
            PriorityCode = issue.PriorityCode,
            CanonicalIssueId = issue.CanonicalIssueId,
            WebUrl = issue.HtmlUrl ?? $"https://seeclickfix.com/issues/{issue.Id}",
            Address = redact ? null : PersonalData.Redact(issue.Address, issue.Reporter?.Name, nameParts: false),
            Neighborhood = neighborhood,
            CouncilDistrict = councilDistrict,
            Latitude = redact ? null : issue.Lat,
            Longitude = redact ? null : issue.Lng,
        };
    }
}
