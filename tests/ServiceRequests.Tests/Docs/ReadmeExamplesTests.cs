using Microsoft.DotNet.Interactive.Documents;
using ServiceRequests.Notebooks;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Docs;

/// <summary>
/// The README's C# code blocks run, in order, as the cells of one notebook through the project's
/// headless runner (the .NET Interactive C# kernel a reader gets in VS Code), so the examples cannot rot.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class ReadmeExamplesTests
{
    [Fact]
    public async Task The_readme_csharp_examples_run_and_show_what_they_say()
    {
        var blocks = CodeBlocks(File.ReadAllText(RepoPaths.Of("README.md")), "csharp");
        Assert.NotEmpty(blocks);
        using var folder = new TempFolder();
        var path = TestNotebook.Write(folder.Path, "readme", [.. blocks]);

        var run = await new NotebookRunner(TextWriter.Null).RunAsync(path, [], CancellationToken.None);

        Assert.True(run.Failure is null, $"A README example fails: {run.Failure}");
        var shown = run.Notebook.Elements.SelectMany(c => c.Outputs).OfType<DisplayElement>()
            .Select(o => o.Data.TryGetValue("text/plain", out var text) ? (string)text : "")
            .ToArray();
        // The sample has 50,000 issues and its last whole week starts on Sunday 2026-10-25 (data/README.md).
        Assert.Contains(shown, s => s.StartsWith("50,000 issues; ", StringComparison.Ordinal) && s.EndsWith("in the week of 2026-10-25", StringComparison.Ordinal));
    }

    private static List<string> CodeBlocks(string markdown, string language)
    {
        var blocks = new List<string>();
        List<string>? block = null;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (block is null && line.Trim() == "```" + language)
            {
                block = [];
            }
            else if (block is not null && line.Trim().StartsWith("```", StringComparison.Ordinal))
            {
                blocks.Add(string.Join('\n', block));
                block = null;
            }
            else
            {
                block?.Add(line);
            }
        }
        return blocks;
    }
}
