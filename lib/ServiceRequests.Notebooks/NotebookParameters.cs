using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ServiceRequests.Notebooks;

/// <summary>
/// Papermill-style parameters: the code cell tagged <c>parameters</c> declares variables with
/// defaults (<c>var weeks = 4;</c>, <c>DateOnly? from = null;</c>); values given on the command
/// line become assignments in a new cell tagged <c>injected-parameters</c>, run right after it.
/// A whole-number parameter whose comment gives a range, <c>var weeks = 4; // weeks (1 to 520)</c>,
/// accepts only values in it, so a value the notebook cannot use is refused before anything runs.
/// </summary>
internal static partial class NotebookParameters
{
    /// <summary>The tag of the cell that declares the parameters.</summary>
    public const string Tag = "parameters";

    /// <summary>The tag of the cell the runner adds.</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>Splits <c>name=value</c>.</summary>
    /// <exception cref="ServiceRequestsException">No <c>=</c> or an empty name.</exception>
    public static KeyValuePair<string, string> Parse(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new ServiceRequestsException($"The parameter '{text}' is not name=value (e.g. weeks=8).");
        }
        return new(text[..equals].Trim(), text[(equals + 1)..]);
    }

    /// <summary>The ranges that whole-number parameters' comments give: <c>// ... (1 to 520)</c>, by name.</summary>
    public static IReadOnlyDictionary<string, (long Min, long Max)> Ranges(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script)).GetCompilationUnitRoot();
        var result = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        foreach (var declaration in root.DescendantNodes().OfType<VariableDeclarationSyntax>()
                     .Where(d => d.Parent is FieldDeclarationSyntax or LocalDeclarationStatementSyntax { Parent: GlobalStatementSyntax }))
        {
            var comment = declaration.Parent!.GetTrailingTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia)).ToString();
            var range = RangePattern().Match(comment);
            if (range.Success)
            {
                foreach (var variable in declaration.Variables)
                {
                    result[variable.Identifier.Text] = (long.Parse(range.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(range.Groups[2].Value, CultureInfo.InvariantCulture));
                }
            }
        }
        return result;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\((-?\d{1,18}) to (-?\d{1,18})\)")]
    private static partial System.Text.RegularExpressions.Regex RangePattern();

    /// <summary>The parameters a cell declares: name and C# type (as written; inferred from the literal for <c>var</c>).</summary>
    public static IReadOnlyDictionary<string, string> Declared(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script)).GetCompilationUnitRoot();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var declaration in root.DescendantNodes().OfType<VariableDeclarationSyntax>()
                     .Where(d => d.Parent is FieldDeclarationSyntax or LocalDeclarationStatementSyntax { Parent: GlobalStatementSyntax }))
        {
            foreach (var variable in declaration.Variables)
            {
                var type = declaration.Type.ToString();
                if (declaration.Type.IsVar)
                {
                    type = variable.Initializer?.Value switch
                    {
                        LiteralExpressionSyntax l when l.IsKind(SyntaxKind.StringLiteralExpression) => "string",
                        LiteralExpressionSyntax l when l.IsKind(SyntaxKind.TrueLiteralExpression) || l.IsKind(SyntaxKind.FalseLiteralExpression) => "bool",
                        LiteralExpressionSyntax { Token.Value: int } => "int",
                        LiteralExpressionSyntax { Token.Value: double } => "double",
                        _ => "var",
                    };
                }
                result[variable.Identifier.Text] = type;
            }
        }
        return result;
    }

    /// <summary>
    /// The source of the injected cell: one assignment per value, the value checked against the
    /// declared type (<c>string</c>, <c>int</c>, <c>long</c>, <c>double</c>, <c>bool</c>,
    /// <c>DateOnly</c> as yyyy-MM-dd, each optionally nullable: <c>null</c> or an empty value).
    /// </summary>
    /// <exception cref="ServiceRequestsException">An unknown name or a value that does not fit its type or its range (<see cref="Ranges"/>); the message says what is allowed.</exception>
    public static string InjectedSource(string notebook, IReadOnlyDictionary<string, string> declared, IEnumerable<KeyValuePair<string, string>> values,
        IReadOnlyDictionary<string, (long Min, long Max)>? ranges = null)
    {
        var lines = new List<string> { "// Parameters injected by the report runner" };
        foreach (var (name, value) in values)
        {
            if (!declared.TryGetValue(name, out var type))
            {
                throw new ServiceRequestsException(declared.Count == 0
                    ? $"{notebook}: parameter {name}: the notebook has no cell tagged '{Tag}'."
                    : $"{notebook}: parameter {name}: no such parameter; the parameters are {string.Join(", ", declared.Keys)}.");
            }
            var literal = Literal(notebook, name, type, value);
            if (ranges is not null && ranges.TryGetValue(name, out var range) && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                && (number < range.Min || number > range.Max))
            {
                throw new ServiceRequestsException($"{notebook}: parameter {name}={value}: out of range; give {range.Min} to {range.Max}.");
            }
            lines.Add($"{name} = {literal};");
        }
        return string.Join("\n", lines);
    }

    private static string Literal(string notebook, string name, string type, string value)
    {
        var nullable = type.EndsWith('?');
        var baseType = type.TrimEnd('?');
        if (nullable && (value.Length == 0 || value == "null"))
        {
            return "null";
        }
        string? literal = baseType switch
        {
            "string" or "String" => SymbolDisplay.FormatLiteral(value, quote: true),
            "int" or "Int32" => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i.ToString(CultureInfo.InvariantCulture) : null,
            "long" or "Int64" => long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l.ToString(CultureInfo.InvariantCulture) + "L" : null,
            "double" or "Double" => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) + "d" : null,
            "bool" or "Boolean" => bool.TryParse(value, out var b) ? (b ? "true" : "false") : null,
            "DateOnly" => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? $"new DateOnly({date.Year}, {date.Month}, {date.Day})"
                : null,
            _ => throw new ServiceRequestsException($"{notebook}: parameter {name}: parameters of type {type} cannot be set from outside (string, int, long, double, bool and DateOnly can)."),
        };
        return literal ?? throw new ServiceRequestsException(
            $"{notebook}: parameter {name}={value}: not a {type}{(baseType == "DateOnly" ? " (write yyyy-MM-dd)" : "")}{(nullable ? " or null" : "")}.");
    }
}
