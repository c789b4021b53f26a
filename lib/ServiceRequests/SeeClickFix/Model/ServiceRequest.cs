namespace ServiceRequests.SeeClickFix.Model;

/// <summary>
/// One service request (a SeeClickFix v2 issue) with the fields the public and the organization
/// endpoints carry. Timestamps keep the offset the API sent (the city's local offset).
/// Personal data: <see cref="Reporter"/>, <see cref="Agent"/>, <see cref="Assignee"/> names and
/// contacts, and <see cref="Questions"/> answers; see <c>docs/schema.md</c>.
/// </summary>
internal sealed record ServiceRequest
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
