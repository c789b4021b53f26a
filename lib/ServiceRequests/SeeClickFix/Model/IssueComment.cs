namespace ServiceRequests.SeeClickFix.Model;

/// <summary>A comment on an issue.</summary>
/// <param name="Id">Comment id.</param>
/// <param name="Comment">Text.</param>
/// <param name="CommentType">Kind of comment, e.g. "Issue Closed", "Issue Acknowledged", "Comment".</param>
/// <param name="CreatedAt">When it was written.</param>
/// <param name="Commenter">Who wrote it (personal data).</param>
internal sealed record IssueComment(long? Id, string? Comment, string? CommentType, DateTimeOffset? CreatedAt, Person? Commenter = null)
{
    /// <summary>The comment type SeeClickFix writes when an issue is closed.</summary>
    public const string IssueClosedType = "Issue Closed";
}
