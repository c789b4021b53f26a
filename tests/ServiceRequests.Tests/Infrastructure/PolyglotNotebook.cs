using System.Text.Json.Nodes;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>Checks a notebook's JSON against nbformat 4.5 and the metadata Polyglot Notebooks writes.</summary>
public static class PolyglotNotebook
{
    /// <summary>nbformat 4.5 structure and the Polyglot kernel metadata (shared with the executed-notebook test).</summary>
    public static void AssertValid(JsonObject notebook, string name)
    {
        Assert.Equal(4, (int?)notebook["nbformat"]);
        Assert.True((int?)notebook["nbformat_minor"] >= 5, name);
        var metadata = notebook["metadata"]!;
        Assert.Equal(".net-csharp", (string?)metadata["kernelspec"]!["name"]);
        Assert.Equal(".NET (C#)", (string?)metadata["kernelspec"]!["display_name"]);
        Assert.Equal("C#", (string?)metadata["kernelspec"]!["language"]);
        Assert.Equal("polyglot-notebook", (string?)metadata["language_info"]!["name"]);
        Assert.Equal("csharp", (string?)metadata["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]);
        Assert.Contains(metadata["polyglot_notebook"]!["kernelInfo"]!["items"]!.AsArray(), i => (string?)i!["name"] == "csharp");
        var cells = notebook["cells"]!.AsArray();
        Assert.Equal(cells.Count, cells.Select(c => (string?)c!["id"]).Distinct().Count());
        foreach (var cell in cells.Select(c => c!.AsObject()))
        {
            Assert.Matches("^[a-zA-Z0-9-_]{1,64}$", (string?)cell["id"]);
            Assert.IsType<JsonObject>(cell["metadata"]);
            Assert.True(cell["source"] is JsonArray or JsonValue, name);
            switch ((string?)cell["cell_type"])
            {
                case "markdown":
                    Assert.Null(cell["outputs"]);
                    break;
                case "code":
                    Assert.Equal("csharp", (string?)cell["metadata"]!["dotnet_interactive"]!["language"]);
                    Assert.Equal("csharp", (string?)cell["metadata"]!["polyglot_notebook"]!["kernelName"]);
                    Assert.IsType<JsonArray>(cell["outputs"]);
                    Assert.True(cell.ContainsKey("execution_count"), name);
                    break;
                default:
                    Assert.Fail($"{name}: unexpected cell type {cell["cell_type"]}");
                    break;
            }
        }
    }
}
