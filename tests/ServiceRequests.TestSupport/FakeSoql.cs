using System.Globalization;
using System.Text;

namespace ServiceRequests.TestSupport;

/// <summary>A query Socrata refuses, with its error code (answered as <c>{"code", "error": true, "message"}</c> and 400).</summary>
internal sealed class FakeSoqlException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>
/// A small real SoQL parser and evaluator for exactly what the client emits: <c>$select</c> of
/// <c>*</c>, <c>:*</c> and field names; <c>$where</c> with <c>AND</c>, <c>OR</c>, parentheses,
/// <c>= &lt; &lt;= &gt; &gt;=</c> and <c>IN (...)</c> between a field and text or number literals;
/// <c>$order</c> of fields with <c>ASC</c>/<c>DESC</c>. Anything else is refused as Socrata does.
/// Values compare by the field's Socrata type.
/// </summary>
internal static class FakeSoql
{
    public const string Malformed = "query.compiler.malformed";
    public const string NoSuchColumn = "query.soql.no-such-column";
    public const string TypeMismatch = "query.soql.type-mismatch";

    /// <summary>A row as the evaluator sees it: a field's Socrata type and its raw JSON text value (null when absent).</summary>
    public interface IRow
    {
        string? Value(string field);
    }

    public static Func<IRow, bool> Where(string text, IReadOnlyDictionary<string, string> types)
    {
        var parser = new Parser(Tokenize(text), types, text);
        var predicate = parser.Or();
        parser.End();
        return predicate;
    }

    public static Comparison<IRow> Order(string text, IReadOnlyDictionary<string, string> types)
    {
        var tokens = Tokenize(text);
        var keys = new List<(string Field, bool Descending)>();
        var i = 0;
        while (true)
        {
            if (i >= tokens.Count || tokens[i].Kind != Kind.Name)
            {
                throw new FakeSoqlException(Malformed, $"Could not parse SoQL $order '{text}': expected a field.");
            }
            var field = Known(tokens[i++].Text, types);
            var descending = false;
            if (i < tokens.Count && tokens[i].Kind == Kind.Name && tokens[i].Text.ToUpperInvariant() is "ASC" or "DESC")
            {
                descending = tokens[i++].Text.Equals("DESC", StringComparison.OrdinalIgnoreCase);
            }
            keys.Add((field, descending));
            if (i == tokens.Count)
            {
                break;
            }
            if (tokens[i++].Kind != Kind.Comma)
            {
                throw new FakeSoqlException(Malformed, $"Could not parse SoQL $order '{text}': expected ','.");
            }
        }
        return (a, b) =>
        {
            foreach (var (field, descending) in keys)
            {
                var c = Compare(types[field], a.Value(field), b.Value(field));
                if (c != 0)
                {
                    return descending ? -c : c;
                }
            }
            return 0;
        };
    }

    /// <summary>The fields a <c>$select</c> names, in output order (<c>:*</c> = the system fields, <c>*</c> = the dataset's).</summary>
    public static List<string> Select(string text, IReadOnlyList<string> systemFields, IReadOnlyList<string> fields, IReadOnlyDictionary<string, string> types)
    {
        var tokens = Tokenize(text);
        var selected = new List<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == Kind.SystemStar)
            {
                selected.AddRange(systemFields);
            }
            else if (token.Kind == Kind.Star)
            {
                selected.AddRange(fields);
            }
            else if (token.Kind == Kind.Name)
            {
                selected.Add(Known(token.Text, types));
            }
            else
            {
                throw new FakeSoqlException(Malformed, $"Could not parse SoQL $select '{text}' at '{token.Text}'.");
            }
            if (i + 1 < tokens.Count && tokens[++i].Kind != Kind.Comma)
            {
                throw new FakeSoqlException(Malformed, $"Could not parse SoQL $select '{text}': expected ',' before '{tokens[i].Text}'.");
            }
        }
        return [.. selected.Distinct()];
    }

    /// <summary>Compares two raw values of a Socrata type; null sorts first.</summary>
    public static int Compare(string type, string? a, string? b)
    {
        if (a is null || b is null)
        {
            return (a is null ? 0 : 1) - (b is null ? 0 : 1);
        }
        return type switch
        {
            "number" or "double" or "money" => Number(a).CompareTo(Number(b)),
            "floating_timestamp" or "calendar_date" => Floating(a).CompareTo(Floating(b)),
            "fixed_timestamp" => Fixed(a).CompareTo(Fixed(b)),
            _ => string.CompareOrdinal(a, b),
        };
    }

    private static double Number(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
        ? value
        : throw new FakeSoqlException(TypeMismatch, $"'{text}' is not a number.");

    private static DateTime Floating(string text) =>
        !text.EndsWith('Z') && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw new FakeSoqlException(TypeMismatch, $"'{text}' is not a floating timestamp.");

    private static DateTimeOffset Fixed(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new FakeSoqlException(TypeMismatch, $"'{text}' is not a fixed timestamp.");

    private static string Known(string field, IReadOnlyDictionary<string, string> types) =>
        types.ContainsKey(field) ? field : throw new FakeSoqlException(NoSuchColumn, $"No such column: {field}");

    private enum Kind
    {
        Name,
        Text,
        Number,
        Operator,
        Open,
        Close,
        Comma,
        Star,
        SystemStar,
    }

    private readonly record struct Token(Kind Kind, string Text, int Position);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '\'')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= text.Length)
                    {
                        throw new FakeSoqlException(Malformed, $"Unterminated string starting at position {start} in '{text}'.");
                    }
                    if (text[i] == '\'')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '\'')
                        {
                            value.Append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    value.Append(text[i++]);
                }
                tokens.Add(new Token(Kind.Text, value.ToString(), start));
            }
            else if (c == ':' && i + 1 < text.Length && text[i + 1] == '*')
            {
                tokens.Add(new Token(Kind.SystemStar, ":*", start));
                i += 2;
            }
            else if (c == ':' || char.IsLetter(c) || c == '_')
            {
                i++;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }
                tokens.Add(new Token(Kind.Name, text[start..i], start));
            }
            else if (char.IsDigit(c) || (c == '-' && i + 1 < text.Length && char.IsDigit(text[i + 1])))
            {
                i++;
                while (i < text.Length && (char.IsDigit(text[i]) || text[i] is '.' or 'e' or 'E' || (text[i] is '+' or '-' && text[i - 1] is 'e' or 'E')))
                {
                    i++;
                }
                tokens.Add(new Token(Kind.Number, text[start..i], start));
            }
            else if (c is '<' or '>')
            {
                i += i + 1 < text.Length && text[i + 1] == '=' ? 2 : 1;
                tokens.Add(new Token(Kind.Operator, text[start..i], start));
            }
            else if (c == '=')
            {
                tokens.Add(new Token(Kind.Operator, "=", start));
                i++;
            }
            else if (c is '(' or ')' or ',' or '*')
            {
                tokens.Add(new Token(c switch { '(' => Kind.Open, ')' => Kind.Close, ',' => Kind.Comma, _ => Kind.Star }, c.ToString(), start));
                i++;
            }
            else
            {
                throw new FakeSoqlException(Malformed, $"Could not parse SoQL query \"{text}\" at position {start}: unexpected '{c}'.");
            }
        }
        return tokens;
    }

    private sealed class Parser(List<Token> tokens, IReadOnlyDictionary<string, string> types, string text)
    {
        private int _at;

        public void End()
        {
            if (_at < tokens.Count)
            {
                throw Error($"unexpected '{tokens[_at].Text}'");
            }
        }

        public Func<IRow, bool> Or()
        {
            var left = And();
            while (Keyword("OR"))
            {
                var l = left;
                var r = And();
                left = row => l(row) || r(row);
            }
            return left;
        }

        private Func<IRow, bool> And()
        {
            var left = Primary();
            while (Keyword("AND"))
            {
                var l = left;
                var r = Primary();
                left = row => l(row) && r(row);
            }
            return left;
        }

        private Func<IRow, bool> Primary()
        {
            if (Next(Kind.Open))
            {
                var inner = Or();
                Expect(Kind.Close, "')'");
                return inner;
            }
            var field = Known(Expect(Kind.Name, "a field").Text, types);
            var type = types[field];
            if (Keyword("IN"))
            {
                Expect(Kind.Open, "'('");
                var values = new List<string> { Literal(type) };
                while (Next(Kind.Comma))
                {
                    values.Add(Literal(type));
                }
                Expect(Kind.Close, "')'");
                return row => row.Value(field) is { } v && values.Any(x => Compare(type, v, x) == 0);
            }
            var op = Expect(Kind.Operator, "a comparison (=, <, <=, >, >=) or IN").Text;
            var literal = Literal(type);
            return op switch
            {
                "=" => row => row.Value(field) is { } v && Compare(type, v, literal) == 0,
                "<" => row => row.Value(field) is { } v && Compare(type, v, literal) < 0,
                "<=" => row => row.Value(field) is { } v && Compare(type, v, literal) <= 0,
                ">" => row => row.Value(field) is { } v && Compare(type, v, literal) > 0,
                _ => row => row.Value(field) is { } v && Compare(type, v, literal) >= 0,
            };
        }

        private string Literal(string type)
        {
            var token = _at < tokens.Count ? tokens[_at++] : throw Error("the query ends where a value is expected");
            if (token.Kind is not (Kind.Text or Kind.Number))
            {
                throw Error($"expected a value, found '{token.Text}'");
            }
            Compare(type, token.Text, token.Text); // type check: throws a type mismatch
            return token.Text;
        }

        private bool Keyword(string word)
        {
            if (_at < tokens.Count && tokens[_at].Kind == Kind.Name && tokens[_at].Text.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                _at++;
                return true;
            }
            return false;
        }

        private bool Next(Kind kind)
        {
            if (_at < tokens.Count && tokens[_at].Kind == kind)
            {
                _at++;
                return true;
            }
            return false;
        }

        private Token Expect(Kind kind, string what) =>
            _at < tokens.Count && tokens[_at].Kind == kind ? tokens[_at++] : throw Error($"expected {what}");

        private FakeSoqlException Error(string what) =>
            new(Malformed, $"Could not parse SoQL query \"{text}\" at position {(_at < tokens.Count ? tokens[_at].Position : text.Length)}: {what}.");
    }
}
