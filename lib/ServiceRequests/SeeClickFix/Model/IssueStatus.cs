namespace ServiceRequests.SeeClickFix.Model;

/// <summary>
/// The life-cycle status of a SeeClickFix issue. Closed issues become <see cref="Archived"/>
/// about a week after closing; the list endpoint leaves archived issues out unless asked.
/// </summary>
internal enum IssueStatus
{
    /// <summary>Reported, not yet acknowledged by the city.</summary>
    Open,
    /// <summary>Acknowledged by the city, work pending.</summary>
    Acknowledged,
    /// <summary>Closed by the city (fixed, or closed as duplicate or out of scope).</summary>
    Closed,
    /// <summary>Closed and archived (SeeClickFix archives closed issues after about seven days).</summary>
    Archived,
}
