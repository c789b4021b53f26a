namespace ServiceRequests;

/// <summary>
/// The life-cycle status of a SeeClickFix issue. Closed issues become <see cref="Archived"/>
/// about a week after closing; the list endpoint leaves archived issues out unless asked.
/// </summary>
public enum IssueStatus
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

/// <summary>
/// One service request (a SeeClickFix v2 issue) with the fields the public and the organization
/// endpoints carry. Timestamps keep the offset the API sent (the city's local offset).
/// Personal data: <see cref="Reporter"/>, <see cref="Agent"/>, <see cref="Assignee"/> names and
/// contacts, and <see cref="Questions"/> answers; see <c>docs/schema.md</c>.
/// </summary>
public sealed record ServiceRequest
{
    /// <summary>SeeClickFix issue id; unique and stable.</summary>
    public required long Id { get; init; }

    /// <summary>Current status.</summary>
    public required IssueStatus Status { get; init; }

    /// <summary>Short title; SeeClickFix fills it with the request type title.</summary>
    public string? Summary { get; init; }

    /// <summary>Free text written by the reporter (can name people or licence plates).</summary>
    public string? Description { get; init; }

    /// <summary>SeeClickFix rating (importance votes), when present.</summary>
    public int? Rating { get; init; }

    /// <summary>Latitude of the issue, WGS 84.</summary>
    public double? Lat { get; init; }

    /// <summary>Longitude of the issue, WGS 84.</summary>
    public double? Lng { get; init; }

    /// <summary>Street address as reported or geocoded.</summary>
    public string? Address { get; init; }

    /// <summary>When the issue was reported.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the city acknowledged it, if it did.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>When it was (last) closed, if it is closed.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>When it was last re-opened after a close; set means the issue was re-opened.</summary>
    public DateTimeOffset? ReopenedAt { get; init; }

    /// <summary>Last change of any kind; the incremental sync's cursor.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Number of comments.</summary>
    public int? CommentsCount { get; init; }

    /// <summary>Number of votes.</summary>
    public int? VoteCount { get; init; }

    /// <summary>How the issue was reported (e.g. "Mobile - iOS", "Web", "Phone").</summary>
    public string? ReportMethod { get; init; }

    /// <summary>The issue's API address (<c>.../api/v2/issues/{id}</c>).</summary>
    public string? Url { get; init; }

    /// <summary>The issue's public web page.</summary>
    public string? HtmlUrl { get; init; }

    /// <summary>Priority code set by the city (organization endpoint).</summary>
    public int? PriorityCode { get; init; }

    /// <summary>The city user the issue is assigned to (organization endpoint).</summary>
    public Person? Assignee { get; init; }

    /// <summary>The work order behind the issue (organization endpoint).</summary>
    public ActiveServiceRequest? ActiveServiceRequest { get; init; }

    /// <summary>The person who reported the issue. Personal data.</summary>
    public Person? Reporter { get; init; }

    /// <summary>The city agent who entered the issue on someone's behalf (phone, e-mail).</summary>
    public Person? Agent { get; init; }

    /// <summary>The request type (category) and the organization that owns it.</summary>
    public RequestTypeRef? RequestType { get; init; }

    /// <summary>Set when the issue was closed as a duplicate of the issue with this id.</summary>
    public long? CanonicalIssueId { get; init; }

    /// <summary>Comments, including status-change comments such as "Issue Closed".</summary>
    public IReadOnlyList<IssueComment> Comments { get; init; } = [];

    /// <summary>Request-type questions and the reporter's answers. Answers are personal data.</summary>
    public IReadOnlyList<QuestionAnswer> Questions { get; init; } = [];

    /// <summary>Photo and video links.</summary>
    public IssueMedia? Media { get; init; }

    /// <summary>True when the issue was re-opened after a close (<see cref="ReopenedAt"/> is set).</summary>
    public bool IsReopened => ReopenedAt.HasValue;

    /// <summary>True when the issue was closed as a duplicate (<see cref="CanonicalIssueId"/> is set).</summary>
    public bool IsDuplicate => CanonicalIssueId.HasValue;

    /// <summary>
    /// The text of the latest "Issue Closed" comment, if any; the city's reason for closing.
    /// </summary>
    public string? ClosingComment =>
        Comments.Where(c => string.Equals(c.CommentType, IssueComment.IssueClosedType, StringComparison.OrdinalIgnoreCase))
                .OrderBy(c => c.CreatedAt)
                .LastOrDefault()?.Comment;
}

/// <summary>A SeeClickFix user as embedded in an issue (reporter, agent or assignee). Personal data.</summary>
/// <param name="Id">SeeClickFix user id.</param>
/// <param name="Name">Display name.</param>
/// <param name="Role">Role, e.g. "Registered User" or "Verified Official".</param>
/// <param name="Email">E-mail address, where the organization endpoint gives it.</param>
/// <param name="Phone">Phone number, where the organization endpoint gives it.</param>
public sealed record Person(long? Id, string? Name, string? Role, string? Email = null, string? Phone = null);

/// <summary>A request type (issue category).</summary>
/// <param name="Id">Request type id.</param>
/// <param name="Title">Title, e.g. "Potholes"; the key for SLAs and metrics.</param>
/// <param name="Organization">Owning organization, e.g. "City of Detroit".</param>
public sealed record RequestTypeRef(long? Id, string? Title, string? Organization = null);

/// <summary>A comment on an issue.</summary>
/// <param name="Id">Comment id.</param>
/// <param name="Comment">Text.</param>
/// <param name="CommentType">Kind of comment, e.g. "Issue Closed", "Issue Acknowledged", "Comment".</param>
/// <param name="CreatedAt">When it was written.</param>
/// <param name="Commenter">Who wrote it (personal data).</param>
public sealed record IssueComment(long? Id, string? Comment, string? CommentType, DateTimeOffset? CreatedAt, Person? Commenter = null)
{
    /// <summary>The comment type SeeClickFix writes when an issue is closed.</summary>
    public const string IssueClosedType = "Issue Closed";
}

/// <summary>A request-type question and the reporter's answer. Answers are personal data.</summary>
/// <param name="Question">Question text.</param>
/// <param name="Answer">Answer text (may hold licence plates, names, phone numbers).</param>
public sealed record QuestionAnswer(string? Question, string? Answer);

/// <summary>Media links of an issue.</summary>
/// <param name="ImageFull">Full-size photo.</param>
/// <param name="ImageSquare100">Thumbnail.</param>
/// <param name="VideoUrl">Video link.</param>
public sealed record IssueMedia(string? ImageFull, string? ImageSquare100, string? VideoUrl);

/// <summary>The work order (service request) behind an issue, from the organization endpoint.</summary>
public sealed record ActiveServiceRequest
{
    /// <summary>Work order status, e.g. "accepted", "started", "finished".</summary>
    public string? Status { get; init; }

    /// <summary>When the work order breaches its service level agreement.</summary>
    public DateTimeOffset? SlaExpiresAt { get; init; }

    /// <summary>When it was last assigned.</summary>
    public DateTimeOffset? LastAssignedAt { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When it was accepted.</summary>
    public DateTimeOffset? AcceptedAt { get; init; }

    /// <summary>When work started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When work resumed after a pause.</summary>
    public DateTimeOffset? ResumedAt { get; init; }

    /// <summary>When work finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When the work order was closed.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>When the work order was re-opened.</summary>
    public DateTimeOffset? ReopenedAt { get; init; }

    /// <summary>The crew member or official it is assigned to (personal data).</summary>
    public Person? Assignee { get; init; }
}
