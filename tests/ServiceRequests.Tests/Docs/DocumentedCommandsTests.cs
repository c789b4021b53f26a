using System.Text;
using System.Text.RegularExpressions;
using ServiceRequests.Benchmarks;
using ServiceRequests.Cli;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Docs;

/// <summary>
/// Every command line the README and the docs show (in <c>sh</c> code blocks) for the CLI or the
/// benchmark program (<c>dotnet run --project …</c>, or <c>dotnet …/bin/…/X.dll</c>) must still parse
/// with that program's real command tree, so renamed commands or options cannot leave the docs
/// stale. Synopsis lines (with <c>[optional]</c>, <c>&lt;placeholder&gt;</c> or <c>...</c>) are
/// checked for their command path only.
/// </summary>
public sealed partial class DocumentedCommandsTests
{
    /// <summary>The documented programs: project folder, assembly name, and how to build its command tree.</summary>
    private static readonly (string Project, string Assembly, Func<System.CommandLine.RootCommand> Build)[] Programs =
    [
        ("lib/ServiceRequests.Cli", "ServiceRequests.Cli.dll", () => CommandLine.Build(TextWriter.Null, TextWriter.Null)),
        ("bench/ServiceRequests.Benchmarks", "ServiceRequests.Benchmarks.dll", () => BenchCommand.Build(TextWriter.Null, TextWriter.Null)),
    ];

    public static TheoryData<string, string> DocumentedCommands()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in DocumentFiles())
        {
            foreach (var line in ShellLines(File.ReadAllText(file)))
            {
                if (ProgramOf(line) is not null)
                {
                    data.Add(Path.GetRelativePath(RepoPaths.Root, file), line);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentedCommands))]
    public void A_documented_command_line_parses(string document, string line)
    {
        var args = ProgramArguments(line);
        var root = ProgramOf(line)!.Value.Build();
        if (IsSynopsis(line))
        {
            // Only the command path must exist: walk the subcommands named before the first option.
            System.CommandLine.Command command = root;
            foreach (var word in args.TakeWhile(a => !a.StartsWith('-') && !IsSynopsis(a)))
            {
                command = command.Subcommands.SingleOrDefault(c => c.Name == word)
                          ?? throw new Xunit.Sdk.XunitException($"{document}: '{line}' names '{word}', which is not a subcommand of '{command.Name}'.");
            }
            return;
        }
        var parsed = root.Parse(args);
        Assert.True(parsed.Errors.Count == 0,
            $"{document}: '{line}' does not parse: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
    }

    [Fact]
    public void The_readme_shows_the_main_job_and_the_test_command_first()
    {
        var readme = File.ReadAllText(RepoPaths.Of("README.md"));
        var firstBlock = ShellBlocks(readme).First();
        var commands = firstBlock.Select(l => CommentPattern().Replace(l, "").Trim()).Where(l => l.Length > 0).ToArray();
        Assert.Equal(["dotnet run --project lib/ServiceRequests.Cli -- report", "dotnet test Analysis.sln"], commands);
    }

    [Fact]
    public void Every_document_the_readme_links_exists()
    {
        var readme = File.ReadAllText(RepoPaths.Of("README.md"));
        var links = LinkPattern().Matches(readme).Select(m => m.Groups[1].Value).Where(l => !l.Contains("://", StringComparison.Ordinal)).Distinct().ToArray();
        Assert.NotEmpty(links);
        foreach (var link in links)
        {
            var parts = link.Split('#', 2);
            var file = parts[0].Length == 0 ? RepoPaths.Of("README.md") : RepoPaths.Of(parts[0]);
            Assert.True(File.Exists(file), $"README.md links to '{link}', which does not exist.");
            if (parts.Length == 2)
            {
                var anchors = File.ReadLines(file).Where(l => l.StartsWith('#')).Select(Anchor).ToHashSet();
                Assert.True(anchors.Contains(parts[1]), $"README.md links to '{link}', but no heading there has that anchor.");
            }
        }
    }

    /// <summary>The anchor GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static string Anchor(string heading) =>
        new string(heading.TrimStart('#').Trim().ToLowerInvariant()
            .Where(c => char.IsLetterOrDigit(c) || c is ' ' or '-' or '_').ToArray()).Replace(' ', '-');

    private static IEnumerable<string> DocumentFiles() =>
        new[] { RepoPaths.Of("README.md"), RepoPaths.Of("data", "README.md") }
            .Concat(Directory.EnumerateFiles(RepoPaths.Of("docs"), "*.md"))
            .Order(StringComparer.Ordinal);

    private static IEnumerable<string> ShellLines(string markdown) => ShellBlocks(markdown).SelectMany(b => b);

    private static IEnumerable<List<string>> ShellBlocks(string markdown)
    {
        List<string>? block = null;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            var trimmed = line.Trim();
            if (block is null && (trimmed == "```sh" || trimmed == "```bash"))
            {
                block = [];
            }
            else if (block is not null && trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                yield return block;
                block = null;
            }
            else if (block is not null)
            {
                // A line ending in a backslash continues on the next one, as in a shell.
                if (block.Count > 0 && block[^1].EndsWith('\\'))
                {
                    block[^1] = block[^1][..^1] + " " + trimmed;
                }
                else
                {
                    block.Add(trimmed);
                }
            }
        }
    }

    private static bool IsSynopsis(string text) => text.Contains('[') || text.Contains('<') || text.Contains("...", StringComparison.Ordinal) || text.Contains('|');

    /// <summary>The documented program a line runs, if any.</summary>
    private static (string Project, string Assembly, Func<System.CommandLine.RootCommand> Build)? ProgramOf(string line) =>
        Programs.Cast<(string Project, string Assembly, Func<System.CommandLine.RootCommand> Build)?>().FirstOrDefault(p =>
            line.Contains("--project " + p!.Value.Project, StringComparison.Ordinal)
            || line.Contains($"dotnet {p.Value.Project}/bin/", StringComparison.Ordinal) && line.Contains(p.Value.Assembly, StringComparison.Ordinal));

    /// <summary>
    /// The program's arguments on a line (the words after <c>--</c> of a <c>dotnet run</c> line, or after
    /// the built program's <c>.dll</c>), without the trailing comment, split like a shell would.
    /// </summary>
    private static string[] ProgramArguments(string line)
    {
        var words = ShellWords(CommentPattern().Replace(line, "")).ToList();
        var program = ProgramOf(line)!.Value;
        var dll = words.FindIndex(w => w.StartsWith(program.Project + "/bin/", StringComparison.Ordinal) && w.EndsWith(program.Assembly, StringComparison.Ordinal));
        if (dll >= 0)
        {
            return words.Skip(dll + 1).ToArray();
        }
        var separator = words.IndexOf("--");
        Assert.True(separator >= 0, $"'{line}' has no '--' before the program's arguments.");
        return words.Skip(separator + 1).ToArray();
    }

    private static IEnumerable<string> ShellWords(string text)
    {
        var word = new StringBuilder();
        char? quote = null;
        var any = false;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote) { quote = null; } else { word.Append(c); }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                any = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (word.Length > 0 || any) { yield return word.ToString(); }
                word.Clear();
                any = false;
            }
            else
            {
                word.Append(c);
            }
        }
        if (word.Length > 0 || any) { yield return word.ToString(); }
    }

    [GeneratedRegex(@"\s+#\s.*$")]
    private static partial Regex CommentPattern();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex LinkPattern();
}
