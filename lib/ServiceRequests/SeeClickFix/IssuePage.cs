using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.SeeClickFix;

/// <summary>One page of the issues list with its pagination metadata.</summary>
/// <param name="Address">The page's address (may carry no secret: credentials travel in headers only).</param>
/// <param name="Issues">The issues on the page, in the server's order.</param>
/// <param name="Entries">Issues the whole query matches (<c>metadata.pagination.entries</c>).</param>
/// <param name="Page">This page's number, from 1.</param>
/// <param name="PerPage">Issues per page the server used.</param>
/// <param name="Pages">Pages the whole query has.</param>
/// <param name="NextPageUrl">The next page's address, or null on the last page.</param>
internal sealed record IssuePage(Uri Address, IReadOnlyList<ServiceRequest> Issues, long Entries, int Page, int PerPage, int Pages, Uri? NextPageUrl)
{
    /// <summary>Issues the query matches after this page (0 on the last page).</summary>
    public long Remaining => Math.Max(0, Entries - ((long)Page - 1) * PerPage - Issues.Count);
}
