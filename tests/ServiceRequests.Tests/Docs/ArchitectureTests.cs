using System.Text.RegularExpressions;
using System.Xml.Linq;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Docs;

/// <summary>
/// docs/architecture.md draws which project references which and which folder of the library uses
/// which: the code may not grow an arrow the pictures do not draw, nor a folder or project they do
/// not name, nor an <c>InternalsVisibleTo</c> the page does not list.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string Page = File.ReadAllText(RepoPaths.Of("docs", "architecture.md"));

    /// <summary>The library root's types that every folder may use and that use nothing of the library.</summary>
    private static readonly string[] Foundation = ["CityTime", "ServiceRequestsException"];

    /// <summary>The library root's entry points, drawn as one node.</summary>
    private static readonly string[] Loader = ["IssueData", "IssueLoadOptions", "ReportOutput"];

    [Fact]
    public void Every_project_reference_is_an_arrow_of_the_picture()
    {
        var (nodes, arrows) = Picture("projects");
        var projects = Projects().ToList();
        Assert.NotEmpty(projects);
        Assert.Empty(projects.Select(p => p.Name).Except(nodes));
        var unexpected = projects.SelectMany(p => p.References.Select(r => (p.Name, r))).Where(a => !arrows.Contains(a)).ToList();
        Assert.True(unexpected.Count == 0, $"Project references docs/architecture.md does not draw: {string.Join(", ", unexpected.Select(a => $"{a.Item1} --> {a.Item2}"))}.");
    }

    [Fact]
    public void Every_folder_dependency_of_the_library_is_an_arrow_of_the_picture()
    {
        var (nodes, arrows) = Picture("folders");
        var folders = Folders();
        var unnamed = folders.Except(nodes).ToList();
        Assert.True(unnamed.Count == 0, $"Folders docs/architecture.md does not name: {string.Join(", ", unnamed)}.");
        var unexpected = FolderDependencies(folders).Where(d => !arrows.Contains((d.From, d.To))).ToList();
        Assert.True(unexpected.Count == 0,
            $"Folder dependencies docs/architecture.md does not draw: {string.Join("; ", unexpected.Select(d => $"{d.From} --> {d.To} ({d.File})"))}.");
    }

    [Fact]
    public void The_folder_picture_has_no_loop()
    {
        var (nodes, arrows) = Picture("folders");
        var state = new Dictionary<string, int>();
        bool Loops(string node)
        {
            switch (state.GetValueOrDefault(node))
            {
                case 1:
                    return true;
                case 2:
                    return false;
            }
            state[node] = 1;
            var loops = arrows.Where(a => a.From == node).Any(a => Loops(a.To));
            state[node] = 2;
            return loops;
        }
        Assert.DoesNotContain(nodes, Loops);
    }

    [Fact]
    public void Only_the_projects_the_page_lists_see_internals()
    {
        var listed = new HashSet<(string, string)>();
        foreach (Match row in VisibilityRow().Matches(Page))
        {
            foreach (var library in Names(row.Groups["library"].Value))
            {
                foreach (var friend in Names(row.Groups["friends"].Value))
                {
                    listed.Add((library, friend));
                }
            }
        }
        var actual = Projects().SelectMany(p => p.Friends.Select(f => (p.Name, f))).ToHashSet();
        Assert.NotEmpty(listed);
        Assert.True(actual.SetEquals(listed),
            $"InternalsVisibleTo in the projects: {string.Join(", ", actual.Order())}; listed in docs/architecture.md: {string.Join(", ", listed.Order())}.");
    }

    /// <summary>The nodes and arrows of the mermaid picture marked <c>%% {kind}</c>, nodes by their label (or id).</summary>
    private static (HashSet<string> Nodes, HashSet<(string From, string To)> Arrows) Picture(string kind)
    {
        var block = MermaidBlock().Matches(Page).Select(m => m.Groups[1].Value).Single(b => b.Contains($"%% {kind}", StringComparison.Ordinal));
        var labels = new Dictionary<string, string>();
        var nodes = new HashSet<string>();
        var arrows = new HashSet<(string, string)>();
        string Node(Group id, Group label)
        {
            if (label.Success)
            {
                labels[id.Value] = label.Value;
            }
            var name = labels.GetValueOrDefault(id.Value, id.Value);
            nodes.Add(name);
            return name;
        }
        foreach (var line in block.Split('\n').Select(l => l.Trim()))
        {
            if (Arrow().Match(line) is { Success: true } arrow)
            {
                arrows.Add((Node(arrow.Groups["from"], arrow.Groups["fromLabel"]), Node(arrow.Groups["to"], arrow.Groups["toLabel"])));
            }
            else if (LoneNode().Match(line) is { Success: true } lone)
            {
                Node(lone.Groups["id"], lone.Groups["label"]);
            }
        }
        return (nodes, arrows);
    }

    private sealed record Project(string Name, List<string> References, List<string> Friends);

    private static IEnumerable<Project> Projects() =>
        new[] { "lib", "bench", "tests" }
            .SelectMany(top => Directory.EnumerateFiles(RepoPaths.Of(top), "*.csproj", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(path =>
            {
                var project = XDocument.Load(path);
                return new Project(
                    Path.GetFileNameWithoutExtension(path),
                    [.. project.Descendants("ProjectReference").Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))],
                    [.. project.Descendants("InternalsVisibleTo").Select(r => r.Attribute("Include")!.Value)]);
            });

    private static string LibraryFolder => RepoPaths.Of("lib", "ServiceRequests");

    /// <summary>The library's top folders (namespaces), and <c>IssueData</c> for the root's loader.</summary>
    private static HashSet<string> Folders() =>
    [
        .. Directory.EnumerateDirectories(LibraryFolder).Select(Path.GetFileName).OfType<string>()
            .Where(name => name is not ("bin" or "obj" or "PublicAPI") && Directory.EnumerateFiles(Path.Combine(LibraryFolder, name), "*.cs", SearchOption.AllDirectories).Any()),
        "IssueData",
    ];

    /// <summary>Each use in code (comments and string literals left out) of another folder, or of the root's loader.</summary>
    private static IEnumerable<(string From, string To, string File)> FolderDependencies(HashSet<string> folders)
    {
        // A folder is used through its namespace (a using, or a name qualified with it); the loader by its type names.
        var named = new Regex(
            @"(?<![\w.])(?:ServiceRequests\.)?(?:(?<to>" + string.Join('|', folders.Where(f => f != "IssueData")) + @")(?=\.[A-Z]|;)|(?<to>"
            + string.Join('|', Loader) + @")\b)",
            RegexOptions.CultureInvariant);
        foreach (var path in Directory.EnumerateFiles(LibraryFolder, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(LibraryFolder, path);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal))
            {
                continue;
            }
            var parts = relative.Split(Path.DirectorySeparatorChar);
            var type = Path.GetFileNameWithoutExtension(path);
            var from = parts.Length > 1 ? parts[0] : Loader.Contains(type) ? "IssueData" : "(foundation)";
            var seen = new HashSet<string>();
            foreach (var raw in File.ReadLines(path))
            {
                var line = raw.TrimStart();
                if (line.StartsWith("//", StringComparison.Ordinal) || line.StartsWith("namespace ", StringComparison.Ordinal))
                {
                    continue;
                }
                line = StringLiteral().Replace(line, "\"\"");
                foreach (Match use in named.Matches(line))
                {
                    var to = Loader.Contains(use.Groups["to"].Value) ? "IssueData" : use.Groups["to"].Value;
                    if (to != from && seen.Add(to))
                    {
                        yield return (from, to, relative);
                    }
                }
            }
        }
    }

    private static IEnumerable<string> Names(string cell) => Backticked().Matches(cell).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"```mermaid\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex MermaidBlock();

    [GeneratedRegex(@"^(?<from>\w+)(?:\[(?<fromLabel>[\w.]+)\])?\s*-->\s*(?<to>\w+)(?:\[(?<toLabel>[\w.]+)\])?$")]
    private static partial Regex Arrow();

    [GeneratedRegex(@"^(?<id>\w+)(?:\[(?<label>[\w.]+)\])?$")]
    private static partial Regex LoneNode();

    [GeneratedRegex(@"^\s*\| (?<library>`[^|]+) \| (?<friends>`[^|]+) \| [^|]+ \|$", RegexOptions.Multiline)]
    private static partial Regex VisibilityRow();

    [GeneratedRegex(@"`([\w.]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"@?\$?""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();
}
