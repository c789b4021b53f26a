using System.Text.RegularExpressions;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Docs;

/// <summary>
/// docs/api.md is the page a newcomer reads first: its tables must name every public type of the
/// library and no type that is not public, and the public surface stays within its cap.
/// </summary>
public sealed partial class ApiDocTests
{
    private const int MostPublicTypes = 35;

    private static readonly Type[] PublicTypes = typeof(IssueData).Assembly.GetExportedTypes();

    [Fact]
    public void The_api_page_names_every_public_type()
    {
        var missing = PublicTypes.Select(t => t.Name).Except(DocumentedTypes()).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, $"docs/api.md does not describe these public types: {string.Join(", ", missing)}.");
    }

    [Fact]
    public void The_api_page_names_no_type_that_is_not_public()
    {
        var extra = DocumentedTypes().Except(PublicTypes.Select(t => t.Name)).Order(StringComparer.Ordinal).ToList();
        Assert.True(extra.Count == 0, $"docs/api.md describes types that are not public: {string.Join(", ", extra)}.");
    }

    [Fact]
    public void The_public_surface_stays_small_and_its_names_are_unique()
    {
        Assert.True(PublicTypes.Length <= MostPublicTypes, $"{PublicTypes.Length} public types; the cap is {MostPublicTypes}: make infrastructure internal.");
        Assert.Equal(PublicTypes.Length, PublicTypes.Select(t => t.Name).Distinct().Count());
        Assert.All(PublicTypes, t => Assert.False(t.IsNested, $"{t.FullName} is a public nested type."));
    }

    /// <summary>The types the page's tables describe: the first cell of each table row, in backticks.</summary>
    private static HashSet<string> DocumentedTypes() =>
        [.. TypeRow().Matches(File.ReadAllText(RepoPaths.Of("docs", "api.md"))).Select(m => m.Groups[1].Value)];

    [GeneratedRegex(@"^\| `([A-Za-z][A-Za-z0-9]*)` \|", RegexOptions.Multiline)]
    private static partial Regex TypeRow();
}
