using System.Text;
using System.Text.RegularExpressions;

namespace ServiceRequests.Portal;

/// <summary>
/// Takes residents' personal data out of free text bound for the public table. Replaced, each by
/// its token: e-mail addresses (<c>[redacted email]</c>, also written <c>name [at] host [dot] org</c>);
/// US phone numbers in the common forms, with or without <c>+1</c>/<c>1</c>, parentheses, dots,
/// dashes or spaces, ten digits run together, seven-digit local numbers and an extension
/// (<c>[redacted phone]</c>); SSN-like numbers <c>123-45-6789</c>, <c>123 45 6789</c>, and nine
/// digits after "SSN" or "social security" (<c>[redacted ssn]</c>); and the reporter's own name,
/// whole and each part of three letters or more, in any case (<c>[redacted name]</c>). Written by
/// hand: no served package does this. Not caught: other people's names, street addresses of
/// people, licence plates, numbers spelled out or spaced oddly, nine digits without an SSN label,
/// phone numbers outside the US forms.
/// </summary>
internal static partial class PersonalData
{
    /// <summary>Replaces an e-mail address.</summary>
    public const string EmailToken = "[redacted email]";
    /// <summary>Replaces a phone number.</summary>
    public const string PhoneToken = "[redacted phone]";
    /// <summary>Replaces an SSN-like number.</summary>
    public const string SsnToken = "[redacted ssn]";
    /// <summary>Replaces the reporter's name or a part of it.</summary>
    public const string NameToken = "[redacted name]";

    private static readonly string[] TokenWords = ["redacted", "email", "phone", "ssn", "name"];

    /// <summary>
    /// <paramref name="text"/> with e-mail addresses, phone numbers, SSN-like numbers and
    /// <paramref name="reporterName"/> replaced by their tokens (null stays null). Redacting
    /// twice gives the same text as once. Without <paramref name="nameParts"/> (an address, whose
    /// street names are often first or last names: John R St) only the whole name is replaced,
    /// as written or last name first (<c>Smith, John</c>), not each part on its own.
    /// </summary>
    public static string? Redact(string? text, string? reporterName, bool nameParts = true)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }
        if (text.AsSpan().IndexOfAnyInRange('0', '9') >= 0 || text.AsSpan().IndexOfAny("@])}") >= 0)
        {
            text = Patterns().Replace(text, m =>
                m.Groups["email"].Success ? EmailToken
                : m.Groups["label"].Success ? m.Groups["label"].Value + SsnToken
                : m.Groups["ssn"].Success ? SsnToken
                : PhoneToken);
        }
        return string.IsNullOrWhiteSpace(reporterName) ? text : RedactName(text, reporterName, nameParts);
    }

    /// <summary>
    /// Replaces the whole name (as written, or last name first) and, with <paramref name="parts"/>,
    /// each part of it (three letters or more), case-insensitively, at word boundaries.
    /// </summary>
    private static string RedactName(string text, string name, bool parts)
    {
        var words = name.Split([' ', '\t', '\r', '\n', ',', '.', '-', '(', ')', '"', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0)
        {
            return text;
        }
        var spans = new List<(int Start, int End)>();
        // The whole name, as written or last name first, its words apart by up to three spaces or punctuation marks.
        static string Run(IEnumerable<string> w) => string.Join(@"[\W_]{1,3}", w.Select(Regex.Escape));
        var whole = words.Length == 1 ? Run(words) : $"{Run(words)}|{Run(words[^1..].Concat(words[..^1]))}";
        foreach (Match match in Regex.Matches(text, $@"(?<![\p{{L}}\p{{N}}])(?:{whole})(?![\p{{L}}\p{{N}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))
        {
            spans.Add((match.Index, match.Index + match.Length));
        }
        foreach (var word in parts ? words.Where(w => w.Count(char.IsLetter) >= 3 && !TokenWords.Contains(w, StringComparer.OrdinalIgnoreCase)) : [])
        {
            if (word.Length == 0)
            {
                continue;
            }
            for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase))
            {
                var end = at + word.Length;
                if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
                {
                    spans.Add((at, end));
                }
            }
        }
        if (spans.Count == 0)
        {
            return text;
        }
        spans.Sort();
        var result = new StringBuilder(text.Length);
        var done = 0;
        foreach (var (start, end) in spans)
        {
            if (end <= done)
            {
                continue;
            }
            if (start >= done)
            {
                result.Append(text, done, start - done).Append(NameToken);
            }
            done = end;
        }
        return result.Append(text, done, text.Length - done).ToString();
    }

    /// <summary>E-mail addresses, SSN-like numbers (with a label, or with dashes or spaces), then US phone numbers; bounded quantifiers, so no input backtracks for long.</summary>
    [GeneratedRegex("""
        (?<email>[\w.%+'-]{1,64}(?:@|\s?[\[({]at[\])}]\s?)(?:[\w-]{1,63}(?:\.|\s?[\[({]dot[\])}]\s?)){1,8}[a-z]{2,24})(?![\w-])
        | (?<label>\b(?:ssn|social\ security(?:\ (?:number|no\.?|\#))?)\s?[:#]?\s?)[0-9]{9}(?![0-9])
        | (?<ssn>(?<![\w-])[0-9]{3}(?:-[0-9]{2}-|\ [0-9]{2}\ )[0-9]{4})(?![\w-])
        | (?<![\w+])(?:\+?1[\ .-]?)?(?:\([0-9]{3}\)\ ?|[0-9]{3}(?:\ ?[.-]\ ?|\ )?)[0-9]{3}(?:\ ?[.-]\ ?|\ )?[0-9]{4}(?:\ ?(?:x|ext\.?|extension)\ ?[0-9]{1,6})?(?![\w])
        | (?<![\w.-])[2-9][0-9]{2}[.-][0-9]{4}(?![\w-])
        """, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture)]
    private static partial Regex Patterns();
}
