using System.Globalization;

namespace ServiceRequests.TestSupport;

/// <summary>
/// The part of ArcGIS standardized SQL the fake layer understands: <c>1=1</c>; comparisons
/// <c>field op literal</c> (<c>= &lt;&gt; &lt; &lt;= &gt; &gt;=</c>) with numbers, <c>'text'</c> (quotes
/// doubled) or, for date fields, <c>timestamp 'YYYY-MM-DD HH:MM:SS'</c> (UTC); <c>AND</c>;
/// parentheses. Anything else, unknown fields and type mismatches throw <see cref="FormatException"/>
/// (the fake answers "'where' parameter is invalid", as ArcGIS does).
/// </summary>
internal static class FakeWhere
{
    public static Func<Dictionary<string, object?>, bool> Parse(string where, IReadOnlyDictionary<string, string> types)
    {
        var tokens = Tokenize(where);
        var position = 0;
        var predicate = Conjunction(tokens, ref position, types);
        if (position != tokens.Count)
        {
            throw new FormatException($"unexpected '{tokens[position]}'");
        }
        return row => predicate(row);
    }

    private static Func<IReadOnlyDictionary<string, object?>, bool> Conjunction(List<string> tokens, ref int position, IReadOnlyDictionary<string, string> types)
    {
        var terms = new List<Func<IReadOnlyDictionary<string, object?>, bool>> { Term(tokens, ref position, types) };
        while (position < tokens.Count && tokens[position].Equals("AND", StringComparison.OrdinalIgnoreCase))
        {
            position++;
            terms.Add(Term(tokens, ref position, types));
        }
        return row => terms.All(t => t(row));
    }

    private static Func<IReadOnlyDictionary<string, object?>, bool> Term(List<string> tokens, ref int position, IReadOnlyDictionary<string, string> types)
    {
        string Next(ref int p) => p < tokens.Count ? tokens[p++] : throw new FormatException("the clause ends too early");
        var first = Next(ref position);
        if (first == "(")
        {
            var inner = Conjunction(tokens, ref position, types);
            if (Next(ref position) != ")")
            {
                throw new FormatException("missing )");
            }
            return inner;
        }
        var op = Next(ref position);
        if (first == "1" && op == "=" && Next(ref position) == "1")
        {
            return _ => true;
        }
        if (!types.TryGetValue(first, out var type))
        {
            throw new FormatException($"no field {first}");
        }
        var literal = Next(ref position);
        object value;
        if (literal.Equals("timestamp", StringComparison.OrdinalIgnoreCase))
        {
            var text = Next(ref position);
            if (type != "esriFieldTypeDate" || !text.StartsWith('\''))
            {
                throw new FormatException("timestamp needs a date field and a quoted value");
            }
            value = (double)new DateTimeOffset(DateTime.ParseExact(text[1..^1].Replace("''", "'"), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), TimeSpan.Zero).ToUnixTimeMilliseconds();
        }
        else if (literal.StartsWith('\''))
        {
            if (type != "esriFieldTypeString")
            {
                throw new FormatException("text compared with a non-text field");
            }
            value = literal[1..^1].Replace("''", "'");
        }
        else
        {
            if (type is "esriFieldTypeString" or "esriFieldTypeDate")
            {
                throw new FormatException("a number compared with a text or date field");
            }
            value = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        Func<int, bool> test = op switch
        {
            "=" => c => c == 0,
            "<>" => c => c != 0,
            "<" => c => c < 0,
            "<=" => c => c <= 0,
            ">" => c => c > 0,
            ">=" => c => c >= 0,
            _ => throw new FormatException($"unknown operator {op}"),
        };
        return row => row.GetValueOrDefault(first) is { } actual && test(value is string s
            ? string.CompareOrdinal((string)actual, s)
            : Convert.ToDouble(actual, CultureInfo.InvariantCulture).CompareTo((double)value));
    }

    private static List<string> Tokenize(string where)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < where.Length)
        {
            var c = where[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or '=')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (c is '<' or '>')
            {
                var two = i + 1 < where.Length && (where[i + 1] == '=' || (c == '<' && where[i + 1] == '>'));
                tokens.Add(where.Substring(i, two ? 2 : 1));
                i += two ? 2 : 1;
            }
            else if (c == '\'')
            {
                var end = i + 1;
                while (true)
                {
                    if (end >= where.Length)
                    {
                        throw new FormatException("unterminated text");
                    }
                    if (where[end] == '\'' && end + 1 < where.Length && where[end + 1] == '\'')
                    {
                        end += 2;
                        continue;
                    }
                    if (where[end] == '\'')
                    {
                        break;
                    }
                    end++;
                }
                tokens.Add(where[i..(end + 1)]);
                i = end + 1;
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '.' or '-')
            {
                var end = i;
                while (end < where.Length && (char.IsLetterOrDigit(where[end]) || where[end] is '_' or '.' or '-'))
                {
                    end++;
                }
                tokens.Add(where[i..end]);
                i = end;
            }
            else
            {
                throw new FormatException($"unexpected character {c}");
            }
        }
        return tokens;
    }
}
