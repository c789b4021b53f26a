namespace ServiceRequests.SeeClickFix.Model;

/// <summary>A request type (issue category).</summary>
/// <param name="Id">Request type id.</param>
/// <param name="Title">Title, e.g. "Potholes"; the key for SLAs and metrics.</param>
/// <param name="Organization">Owning organization, e.g. "City of Detroit".</param>
internal sealed record RequestTypeRef(long? Id, string? Title, string? Organization = null);
