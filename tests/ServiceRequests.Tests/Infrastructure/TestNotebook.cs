using System.Text.Json.Nodes;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>Writes small Polyglot-style notebooks for the runner's tests.</summary>
public static class TestNotebook
{
    /// <summary>A markdown cell, then one C# code cell per source; a cell starting with <c>// parameters</c> is tagged <c>parameters</c>.</summary>
    public static string Write(string folder, string name, params string[] codeCells)
    {
        var cells = new JsonArray(new JsonObject
        {
            ["cell_type"] = "markdown", ["id"] = "md", ["metadata"] = new JsonObject(), ["source"] = new JsonArray("# " + name + "\n", "A *test* notebook."),
        });
        for (var i = 0; i < codeCells.Length; i++)
        {
            var metadata = new JsonObject
            {
                ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
                ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
            };
            if (codeCells[i].StartsWith("// parameters", StringComparison.Ordinal))
            {
                metadata["tags"] = new JsonArray("parameters");
            }
            cells.Add(new JsonObject
            {
                ["cell_type"] = "code", ["execution_count"] = null, ["id"] = "c" + i, ["metadata"] = metadata,
                ["outputs"] = new JsonArray(), ["source"] = codeCells[i],
            });
        }
        var notebook = new JsonObject
        {
            ["cells"] = cells,
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(folder, name + ".ipynb");
        File.WriteAllText(path, notebook.ToJsonString());
        return path;
    }
}
