using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ServiceRequests.Notebooks;

namespace ServiceRequests.Tests.Notebooks;

/// <summary>Parameters: what a parameters cell declares and the C# the runner injects for command-line values.</summary>
public class NotebookParametersTests
{
    private const string Cell = "// parameters\nvar source = \"sample\"; // where\nDateOnly? from = null;\nvar weeks = 4;\nvar threshold = 25.0;\nvar verbose = false;\nlong? limit = null;\nvar other = Guid.Empty;";

    private static readonly IReadOnlyDictionary<string, string> Declared = NotebookParameters.Declared(Cell);

    private static string Inject(string name, string value) =>
        NotebookParameters.InjectedSource("nb", Declared, [new(name, value)]).Split('\n')[1];

    [Fact]
    public void Declared_reads_names_and_types_of_top_level_variables()
    {
        Assert.Equal(new Dictionary<string, string>
        {
            ["source"] = "string", ["from"] = "DateOnly?", ["weeks"] = "int", ["threshold"] = "double", ["verbose"] = "bool", ["limit"] = "long?", ["other"] = "var",
        }, Declared);
    }

    [Fact]
    public void A_range_in_a_whole_number_parameters_comment_bounds_its_values()
    {
        const string cell = "var weeks = 4; // weeks shown (1 to 520)\nlong? limit = null; // at most (-5 to 10)\nvar other = 3; // no range (a to b)";
        var ranges = NotebookParameters.Ranges(cell);
        Assert.Equal(new Dictionary<string, (long, long)> { ["weeks"] = (1, 520), ["limit"] = (-5, 10) }, ranges);
        var declared = NotebookParameters.Declared(cell);

        Assert.Equal("weeks = 520;", NotebookParameters.InjectedSource("nb", declared, [new("weeks", "520")], ranges).Split('\n')[1]);
        Assert.Equal("limit = null;", NotebookParameters.InjectedSource("nb", declared, [new("limit", "null")], ranges).Split('\n')[1]);
        Assert.Equal("other = 100000;", NotebookParameters.InjectedSource("nb", declared, [new("other", "100000")], ranges).Split('\n')[1]);
        var error = Assert.Throws<ServiceRequestsException>(() => NotebookParameters.InjectedSource("nb", declared, [new("weeks", "2147483647")], ranges));
        Assert.Equal("nb: parameter weeks=2147483647: out of range; give 1 to 520.", error.Message);
        Assert.Throws<ServiceRequestsException>(() => NotebookParameters.InjectedSource("nb", declared, [new("limit", "-6")], ranges));
    }

    [Fact]
    public void Values_become_typed_assignments()
    {
        Assert.Equal("source = \"https://x/resource/a.json?$where=a>'b'\";", Inject("source", "https://x/resource/a.json?$where=a>'b'"));
        Assert.Equal("from = new DateOnly(2025, 1, 2);", Inject("from", "2025-01-02"));
        Assert.Equal("from = null;", Inject("from", "null"));
        Assert.Equal("from = null;", Inject("from", ""));
        Assert.Equal("weeks = 8;", Inject("weeks", "8"));
        Assert.Equal("threshold = 12.5d;", Inject("threshold", "12.5"));
        Assert.Equal("verbose = true;", Inject("verbose", "True"));
        Assert.Equal("limit = 10L;", Inject("limit", "10"));
    }

    [Theory]
    [InlineData("weeks", "eight", "nb: parameter weeks=eight: not a int.")]
    [InlineData("weeks", "null", "nb: parameter weeks=null: not a int.")]
    [InlineData("from", "02/01/2025", "nb: parameter from=02/01/2025: not a DateOnly? (write yyyy-MM-dd) or null.")]
    [InlineData("threshold", "NaN", "nb: parameter threshold=NaN: not a double.")]
    [InlineData("other", "x", "nb: parameter other: parameters of type var cannot be set from outside (string, int, long, double, bool and DateOnly can).")]
    [InlineData("nope", "1", "nb: parameter nope: no such parameter; the parameters are source, from, weeks, threshold, verbose, limit, other.")]
    public void Bad_values_are_refused_with_what_is_allowed(string name, string value, string message) =>
        Assert.Equal(message, Assert.Throws<ServiceRequestsException>(() => Inject(name, value)).Message);

    [Fact]
    public void Parse_splits_at_the_first_equals_sign()
    {
        Assert.Equal(new KeyValuePair<string, string>("source", "a=b"), NotebookParameters.Parse("source=a=b"));
        Assert.Throws<ServiceRequestsException>(() => NotebookParameters.Parse("=x"));
        Assert.Throws<ServiceRequestsException>(() => NotebookParameters.Parse("weeks"));
    }

    [Fact]
    public void Fuzz_any_string_value_round_trips_through_the_injected_literal()
    {
        var random = new Random(6);
        const string alphabet = "ab\"\\\n\r\t{}$@'\0\u2028é😀 ;/*";
        for (var i = 0; i < 500; i++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(12)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var source = Inject("source", value);
            var tree = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
            Assert.Empty(tree.GetDiagnostics());
            var literal = tree.GetRoot().DescendantNodes().OfType<LiteralExpressionSyntax>().Single();
            Assert.Equal(value, literal.Token.ValueText);
        }
    }
}
