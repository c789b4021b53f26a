namespace ServiceRequests.SeeClickFix.Model;

/// <summary>Media links of an issue.</summary>
/// <param name="ImageFull">Full-size photo.</param>
/// <param name="ImageSquare100">Thumbnail.</param>
/// <param name="VideoUrl">Video link.</param>
internal sealed record IssueMedia(string? ImageFull, string? ImageSquare100, string? VideoUrl);
