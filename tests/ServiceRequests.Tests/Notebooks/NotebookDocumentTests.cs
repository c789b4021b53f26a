using System.Text.Json.Nodes;
using ServiceRequests.Notebooks;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Notebooks;

/// <summary>
/// The notebooks in <c>notebooks/</c> are nbformat 4 with the metadata Polyglot Notebooks writes
/// and the conventions the runner relies on; the reader rejects anything else with a message.
/// </summary>
public class NotebookDocumentTests
{
    public static TheoryData<string> Notebooks() => [.. Directory.GetFiles(RepoPaths.Of("notebooks"), "*.ipynb").Select(p => Path.GetFileName(p))];

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Each_notebook_is_a_polyglot_csharp_notebook(string file)
    {
        var notebook = NotebookDocument.Load(RepoPaths.Of("notebooks", file));
        PolyglotNotebook.AssertValid(notebook.Root, file);
        var code = notebook.Cells.Where(c => NotebookDocument.TypeOf(c!) == "code").Select(c => c!).ToList();
        Assert.True(NotebookDocument.HasTag(code[0], NotebookParameters.Tag), "the first code cell holds the parameters");
        Assert.Contains("source", NotebookParameters.Declared(NotebookDocument.SourceOf(code[0])!).Keys);
        var setup = NotebookDocument.SourceOf(code[1])!;
        Assert.Contains("#r \"nuget: Microsoft.Data.Analysis, 0.23.1\"", setup);
        Assert.Contains("#r \"nuget: Plotly.NET, 6.0.0\"", setup);
        Assert.Contains("#r \"../lib/ServiceRequests/bin/Release/net8.0/ServiceRequests.dll\"", setup);
        Assert.Contains("ReportFormatters.Register();", setup);
        Assert.All(code, c => Assert.Empty(c["outputs"]!.AsArray()));
        Assert.DoesNotContain(code, c => NotebookDocument.SourceOf(c)!.Split('\n').Any(l => l.TrimStart().StartsWith("#!", StringComparison.Ordinal)));
        Assert.Equal("markdown", NotebookDocument.TypeOf(notebook.Cells[0]!));
    }

    [Fact]
    public void Rejects_what_is_not_an_nbformat_4_notebook()
    {
        using var folder = new TempFolder();
        void Rejects(string json, string expected)
        {
            File.WriteAllText(folder.File("x.ipynb"), json);
            var e = Assert.Throws<ServiceRequestsException>(() => NotebookDocument.Load(folder.File("x.ipynb")));
            Assert.Contains(expected, e.Message);
            Assert.Contains("x.ipynb", e.Message);
        }
        Rejects("{", "not JSON");
        Rejects("[]", "not an nbformat 4 notebook");
        Rejects("{\"nbformat\": 3, \"cells\": []}", "not an nbformat 4 notebook");
        Rejects("{\"nbformat\": 4}", "no \"cells\" array");
        Rejects("{\"nbformat\": 4, \"cells\": [{\"cell_type\": \"code\", \"source\": 5}]}", "cell 1 has no");
    }

    private const string Mutations = "{}[]\":,0a \\";

    [Fact]
    public void Fuzz_truncated_and_mutated_notebooks_load_or_fail_with_a_format_error()
    {
        using var folder = new TempFolder();
        var original = File.ReadAllBytes(RepoPaths.Of("notebooks", "weekly-stats.ipynb"));
        var random = new Random(6);
        for (var i = 0; i < 300; i++)
        {
            var bytes = original[..random.Next(original.Length)];
            if (i % 2 == 0)
            {
                bytes = (byte[])original.Clone();
                for (var k = 0; k < 4; k++)
                {
                    bytes[random.Next(bytes.Length)] = (byte)Mutations[random.Next(Mutations.Length)];
                }
            }
            File.WriteAllBytes(folder.File("f.ipynb"), bytes);
            try
            {
                var notebook = NotebookDocument.Load(folder.File("f.ipynb"));
                Assert.All(notebook.Cells, c => Assert.NotNull(NotebookDocument.SourceOf(c!)));
            }
            catch (ServiceRequestsException)
            {
            }
        }
    }

    [Fact]
    public void Lines_splits_source_as_nbformat_does()
    {
        Assert.Equal(["a\n", "b\n", "c"], NotebookDocument.Lines("a\nb\nc").Select(l => (string?)l));
        Assert.Equal(["a\n"], NotebookDocument.Lines("a\n").Select(l => (string?)l));
        Assert.Empty(NotebookDocument.Lines(""));
    }
}
