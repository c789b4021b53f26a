using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using ServiceRequests.Notebooks;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Notebooks;

/// <summary>
/// The notebooks in <c>notebooks/</c> are nbformat 4 with the metadata Polyglot Notebooks writes
/// and the conventions the runner relies on; the reader rejects anything else with a message, and
/// an executed notebook is written back in .NET Interactive's own format.
/// </summary>
public class NotebookFileTests
{
    public static TheoryData<string> Notebooks() => [.. Directory.GetFiles(RepoPaths.Of("notebooks"), "*.ipynb").Select(p => Path.GetFileName(p))];

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Each_notebook_is_a_polyglot_csharp_notebook(string file)
    {
        var path = RepoPaths.Of("notebooks", file);
        PolyglotNotebook.AssertValid(JsonNode.Parse(File.ReadAllText(path))!.AsObject(), file);
        var notebook = NotebookFile.Read(path);
        var code = notebook.Elements.Where(NotebookFile.IsCode).ToList();
        Assert.All(code, c => Assert.Equal("csharp", c.KernelName));
        Assert.True(NotebookFile.HasTag(code[0], NotebookParameters.Tag), "the first code cell holds the parameters");
        Assert.Contains("source", NotebookParameters.Declared(code[0].Contents).Keys);
        Assert.Contains("dotnet build lib/ServiceRequests -c Release -f net8.0", code[1].Contents); // the library check
        var setup = code[2].Contents;
        Assert.Contains("#r \"nuget: Microsoft.Data.Analysis, 0.23.1\"", setup);
        Assert.Contains("#r \"nuget: Plotly.NET, 6.0.0\"", setup);
        Assert.Contains("#r \"../lib/ServiceRequests/bin/Release/net8.0/ServiceRequests.dll\"", setup);
        Assert.Contains("ReportFormatters.Register();", setup);
        Assert.All(code, c => Assert.Empty(c.Outputs));
        Assert.DoesNotContain(code, c => c.Contents.Split('\n').Any(l => l.TrimStart().StartsWith("#!", StringComparison.Ordinal)));
        Assert.Equal("markdown", notebook.Elements[0].KernelName);
    }

    [Fact]
    public void Rejects_what_is_not_an_nbformat_4_notebook()
    {
        using var folder = new TempFolder();
        void Rejects(string json, string expected)
        {
            File.WriteAllText(folder.File("x.ipynb"), json);
            var e = Assert.Throws<ServiceRequestsException>(() => NotebookFile.Read(folder.File("x.ipynb")));
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
                var notebook = NotebookFile.Read(folder.File("f.ipynb"));
                Assert.All(notebook.Elements, c => Assert.NotNull(c.Contents));
            }
            catch (ServiceRequestsException)
            {
            }
        }
    }

    [Fact]
    public void Writes_back_what_it_read_with_outputs_as_the_polyglot_extension_does()
    {
        using var folder = new TempFolder();
        var notebook = NotebookFile.Read(RepoPaths.Of("notebooks", "weekly-stats.ipynb"));
        notebook.Elements[1].Outputs.Add(new DisplayElement(new Dictionary<string, object> { ["text/plain"] = "a\nb" }));
        NotebookFile.Write(notebook, folder.File("w.ipynb"));
        var written = JsonNode.Parse(File.ReadAllText(folder.File("w.ipynb")))!.AsObject();
        PolyglotNotebook.AssertValid(written, "w.ipynb");
        var output = written["cells"]![1]!["outputs"]![0]!;
        Assert.Equal("display_data", (string?)output["output_type"]);
        Assert.Equal(["a\n", "b"], output["data"]!["text/plain"]!.AsArray().Select(l => (string?)l));
        var again = NotebookFile.Read(folder.File("w.ipynb"));
        Assert.Equal(notebook.Elements.Select(e => e.Contents), again.Elements.Select(e => e.Contents));
        Assert.True(NotebookFile.HasTag(again.Elements[1], NotebookParameters.Tag));
    }
}
