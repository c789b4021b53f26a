using System.Globalization;
using System.Text;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.SeeClickFix;

/// <summary>
/// What to ask the issues list for: the source (a place's public list, or an organization's
/// members-only list with more fields) and the documented filters. Defaults suit an export that
/// misses nothing: all four statuses (the API leaves archived out unless asked), sorted by
/// <c>updated_at</c> ascending.
/// </summary>
internal sealed record IssueQuery
{
    /// <summary>The most issues per page the API serves.</summary>
    public const int MaxPerPage = 100;

    /// <summary>The most issues per page the API serves with <c>details=true</c>.</summary>
    public const int MaxPerPageWithDetails = 20;

    /// <summary>The time format of the filters: ISO-8601 UTC, <c>YYYY-MM-DDTHH:MM:SSZ</c>.</summary>
    public const string FilterTimeFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>The place's <c>url_name</c> for the public endpoint, e.g. <c>detroit</c> (<c>/issues?place_url=detroit</c>).</summary>
    public string? Place { get; init; }

    /// <summary>The organization id for the members-only endpoint (<c>/organizations/{id}/issues</c>); Detroit's is 507. Takes precedence over <see cref="Place"/>.</summary>
    public long? Organization { get; init; }

    /// <summary>Statuses to include (default all four).</summary>
    public IReadOnlyList<IssueStatus> Statuses { get; init; } = [IssueStatus.Open, IssueStatus.Acknowledged, IssueStatus.Closed, IssueStatus.Archived];

    /// <summary>Sort by <c>updated_at</c> (default) or, when false, by <c>created_at</c>.</summary>
    public bool SortByUpdated { get; init; } = true;

    /// <summary>Ascending (default) or, when false, descending.</summary>
    public bool Ascending { get; init; } = true;

    /// <summary><c>updated_at_after</c>: only issues updated after this instant.</summary>
    public DateTimeOffset? UpdatedAfter { get; init; }

    /// <summary><c>updated_at_before</c>: only issues updated before this instant.</summary>
    public DateTimeOffset? UpdatedBefore { get; init; }

    /// <summary><c>after</c>: only issues created after this instant.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary><c>before</c>: only issues created before this instant.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary><c>request_types</c>: only these request type ids (empty: all).</summary>
    public IReadOnlyList<long> RequestTypes { get; init; } = [];

    /// <summary><c>details=true</c>: comments, questions and user details, at most 20 issues per page.</summary>
    public bool Details { get; init; }

    /// <summary>Issues per page: the most the API allows (100, or 20 with <see cref="Details"/>).</summary>
    public int PerPage => Details ? MaxPerPageWithDetails : MaxPerPage;

    /// <summary>A short description of the source, e.g. <c>place detroit</c> or <c>organization 507</c>.</summary>
    public string Source => Organization is { } org ? $"organization {org.ToString(CultureInfo.InvariantCulture)}" : $"place {Place}";

    /// <summary>The address of page <paramref name="page"/> under the API root <paramref name="apiRoot"/> (ending in <c>/api/v2/</c>).</summary>
    /// <exception cref="InvalidOperationException">Neither a place nor an organization is set, or no status is.</exception>
    public Uri ToUri(Uri apiRoot, int page = 1)
    {
        ArgumentNullException.ThrowIfNull(apiRoot);
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        if (Organization is null && string.IsNullOrWhiteSpace(Place))
        {
            throw new InvalidOperationException("Name a place (e.g. detroit) or an organization id (e.g. 507).");
        }
        if (Statuses.Count == 0)
        {
            throw new InvalidOperationException("Name at least one status.");
        }
        var query = new StringBuilder();
        void Add(string name, string value)
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        var path = "issues";
        if (Organization is { } org)
        {
            path = $"organizations/{org.ToString(CultureInfo.InvariantCulture)}/issues";
        }
        else
        {
            Add("place_url", Place!.Trim());
        }
        Add("status", string.Join(',', Statuses.Distinct().Select(s => s.ToString().ToLowerInvariant())));
        Add("sort", SortByUpdated ? "updated_at" : "created_at");
        Add("sort_direction", Ascending ? "ASC" : "DESC");
        if (UpdatedAfter is { } ua)
        {
            Add("updated_at_after", Format(ua));
        }
        if (UpdatedBefore is { } ub)
        {
            Add("updated_at_before", Format(ub));
        }
        if (CreatedAfter is { } ca)
        {
            Add("after", Format(ca));
        }
        if (CreatedBefore is { } cb)
        {
            Add("before", Format(cb));
        }
        if (RequestTypes.Count > 0)
        {
            Add("request_types", string.Join(',', RequestTypes.Select(t => t.ToString(CultureInfo.InvariantCulture))));
        }
        if (Details)
        {
            Add("details", "true");
        }
        Add("page", page.ToString(CultureInfo.InvariantCulture));
        Add("per_page", PerPage.ToString(CultureInfo.InvariantCulture));
        return new Uri(apiRoot, path + query);
    }

    /// <summary>Formats an instant as the filters want it (UTC, whole seconds, <c>Z</c>).</summary>
    public static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString(FilterTimeFormat, CultureInfo.InvariantCulture);
}
