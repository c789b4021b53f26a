namespace ServiceRequests.SeeClickFix.Model;

/// <summary>A request-type question and the reporter's answer. Answers are personal data.</summary>
/// <param name="Question">Question text.</param>
/// <param name="Answer">Answer text (may hold licence plates, names, phone numbers).</param>
internal sealed record QuestionAnswer(string? Question, string? Answer);
