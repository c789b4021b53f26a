using Microsoft.Data.Analysis;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix;

namespace ServiceRequests.Metrics;

/// <summary>
/// "Closed beyond jurisdiction": issues whose closing comment (the latest "Issue Closed" comment,
/// column <c>closing_comment</c> of the private table, <see cref="FlatIssue.PrivateColumns"/>)
/// says the problem was outside the city's jurisdiction or referred elsewhere. A comment matches
/// when it contains one of the keywords as a whole word or phrase, ignoring case ("State"
/// matches "State park", not "statement"). Only the private table has closing comments; the
/// public portal does not.
/// </summary>
public static class BeyondJurisdiction
{
    /// <summary>Column name of the closing comment.</summary>
    public const string ClosingComment = "closing_comment";

    /// <summary>Column name of the flag <see cref="Flag"/> returns.</summary>
    public const string FlagColumn = "closed_beyond_jurisdiction";

    /// <summary>The default keywords: jurisdiction, unable to locate, invalid, DTE, referred, Land Bank, Belle Isle, Wayne, State, MDOT.</summary>
    public static IReadOnlyList<string> DefaultKeywords { get; } =
        ["jurisdiction", "unable to locate", "invalid", "DTE", "referred", "Land Bank", "Belle Isle", "Wayne", "State", "MDOT"];

    /// <summary>Whether <paramref name="comment"/> names one of <paramref name="keywords"/> (default <see cref="DefaultKeywords"/>) as a whole word or phrase, ignoring case.</summary>
    /// <exception cref="ArgumentException">A keyword is blank.</exception>
    public static bool Matches(string? comment, IReadOnlyList<string>? keywords = null) => Match(comment, Checked(keywords));

    private static bool Match(string? comment, IReadOnlyList<string> keywords)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return false;
        }
        foreach (var keyword in keywords)
        {
            for (var at = comment.IndexOf(keyword, StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = comment.IndexOf(keyword, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                var end = at + keyword.Length;
                if ((at == 0 || !char.IsLetterOrDigit(comment[at - 1])) && (end == comment.Length || !char.IsLetterOrDigit(comment[end])))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>
    /// One flag per row of <paramref name="closings"/>, named <see cref="FlagColumn"/>: true when
    /// the closing comment matches, false when it does not, null without a comment. Add it to
    /// the frame to filter or group by it.
    /// </summary>
    /// <param name="closings">A frame with a text column <see cref="ClosingComment"/>.</param>
    /// <param name="keywords">Keywords; default <see cref="DefaultKeywords"/>.</param>
    /// <exception cref="ArgumentException">The column is missing or not text, or a keyword is blank.</exception>
    public static BooleanDataFrameColumn Flag(DataFrame closings, IReadOnlyList<string>? keywords = null)
    {
        keywords = Checked(keywords);
        var comments = Text(closings, ClosingComment);
        return new BooleanDataFrameColumn(FlagColumn,
            comments.Select(c => string.IsNullOrWhiteSpace(c) ? (bool?)null : Match(c, keywords)));
    }

    /// <summary>
    /// The share closed beyond jurisdiction per request type, over the rows that have a closing
    /// comment: <c>request_type_title, num_closed_with_comment, num_beyond_jurisdiction,
    /// perc_beyond_jurisdiction</c>, types in ordinal order, then an <see cref="IssueMetrics.AllTypes"/> row.
    /// </summary>
    /// <param name="closings">A frame with text columns <c>request_type_title</c> and <see cref="ClosingComment"/> (the private table, or any subset of its rows).</param>
    /// <param name="keywords">Keywords; default <see cref="DefaultKeywords"/>.</param>
    /// <exception cref="ArgumentException">A column is missing or not text, or a keyword is blank.</exception>
    public static DataFrame ShareByType(DataFrame closings, IReadOnlyList<string>? keywords = null)
    {
        keywords = Checked(keywords);
        var types = Text(closings, PortalSchema.RequestTypeTitle);
        var comments = Text(closings, ClosingComment);
        var counts = new SortedDictionary<string, (int Closed, int Beyond)>(StringComparer.Ordinal);
        for (long i = 0; i < closings.Rows.Count; i++)
        {
            var comment = comments[i];
            if (string.IsNullOrWhiteSpace(comment))
            {
                continue;
            }
            var type = string.IsNullOrWhiteSpace(types[i]) ? IssueColumns.NoRequestType : types[i];
            var (closed, beyond) = counts.GetValueOrDefault(type);
            counts[type] = (closed + 1, beyond + (Match(comment, keywords) ? 1 : 0));
        }
        var rows = counts.Select(kv => (Type: kv.Key, kv.Value.Closed, kv.Value.Beyond)).ToList();
        rows.Add((IssueMetrics.AllTypes, rows.Sum(r => r.Closed), rows.Sum(r => r.Beyond)));
        return new DataFrame(
            new StringDataFrameColumn("request_type_title", rows.Select(r => r.Type)),
            new Int32DataFrameColumn("num_closed_with_comment", rows.Select(r => r.Closed)),
            new Int32DataFrameColumn("num_beyond_jurisdiction", rows.Select(r => r.Beyond)),
            new DoubleDataFrameColumn("perc_beyond_jurisdiction", rows.Select(r => r.Closed == 0 ? (double?)null : r.Beyond * 100.0 / r.Closed)));
    }

    private static IReadOnlyList<string> Checked(IReadOnlyList<string>? keywords)
    {
        keywords ??= DefaultKeywords;
        if (keywords.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A jurisdiction keyword is blank; give words or phrases such as \"referred\" or \"Land Bank\".", nameof(keywords));
        }
        return keywords;
    }

    private static StringDataFrameColumn Text(DataFrame frame, string name)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var index = frame.Columns.IndexOf(name);
        if (index < 0)
        {
            throw new ArgumentException($"The frame has no column '{name}'; closing comments come from the private table (FlatIssue.PrivateColumns).", nameof(frame));
        }
        return frame.Columns[index] as StringDataFrameColumn
            ?? throw new ArgumentException($"Column '{name}' is a {frame.Columns[index].DataType.Name} column, not text.", nameof(frame));
    }
}
