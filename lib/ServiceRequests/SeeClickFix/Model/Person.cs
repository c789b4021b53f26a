namespace ServiceRequests.SeeClickFix.Model;

/// <summary>A SeeClickFix user as embedded in an issue (reporter, agent or assignee). Personal data.</summary>
/// <param name="Id">SeeClickFix user id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Role">Role, e.g. "Registered User" or "Verified Official".</param>
/// <param name="Email">E-mail address, where the organization endpoint gives it.</param>
/// <param name="Phone">Phone number, where the organization endpoint gives it.</param>
internal sealed record Person(long? Id, string? Name, string? Role, string? Email = null, string? Phone = null);
