using Microsoft.DotNet.Interactive.Documents;
using ServiceRequests.Notebooks;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Docs;

/// <summary>
/// The C# code blocks of the README and of docs/api.md run, in order, as the cells of one notebook
/// per page through the project's headless runner (the .NET Interactive C# kernel a reader gets in
/// VS Code), so the examples cannot rot.
/// </summary>
[Collection(NotebookCollection.Name)]
public sealed class ReadmeExamplesTests
{
    [Fact]
    public async Task The_readme_csharp_examples_run_and_show_what_they_say()
    {
        var shown = await RunExamplesAsync("README.md");
        // The sample has 50,000 issues and its last whole week starts on Sunday 2026-10-25 (data/README.md).
        Assert.Contains(shown, s => s.StartsWith("50,000 issues; ", StringComparison.Ordinal) && s.EndsWith("in the week of 2026-10-25", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_api_page_csharp_examples_run_and_show_what_they_say()
    {
        var shown = await RunExamplesAsync("docs", "api.md");
        Assert.Contains(shown, s => s.EndsWith("departments over four weeks; 7 council districts", StringComparison.Ordinal));
        Assert.Contains(shown, s => s.StartsWith("No such file: ", StringComparison.Ordinal));
    }

    /// <summary>Runs the page's C# blocks as one notebook; returns the text of every output.</summary>
    private static async Task<string[]> RunExamplesAsync(params string[] page)
    {
        var blocks = CodeBlocks(File.ReadAllText(RepoPaths.Of(page)), "csharp");
        Assert.NotEmpty(blocks);
        using var folder = new TempFolder();
        var path = TestNotebook.Write(folder.Path, "examples", [.. blocks]);

        var run = await new NotebookRunner(TextWriter.Null).RunAsync(path, [], CancellationToken.None);

        Assert.True(run.Failure is null, $"An example of {string.Join('/', page)} fails: {run.Failure}");
        return [.. run.Notebook.Elements.SelectMany(c => c.Outputs).OfType<DisplayElement>()
            .Select(o => o.Data.TryGetValue("text/plain", out var text) ? (string)text : "")];
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
