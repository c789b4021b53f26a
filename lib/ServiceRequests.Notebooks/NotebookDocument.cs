using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServiceRequests.IO;

namespace ServiceRequests.Notebooks;

/// <summary>
/// A Jupyter notebook (nbformat 4) as Polyglot Notebooks writes it, kept as JSON so that every
/// field the runner does not know survives; code cells can be given outputs and the notebook
/// written back.
/// </summary>
internal sealed class NotebookDocument
{
    private NotebookDocument(string path, JsonObject root, JsonArray cells)
    {
        Path = path;
        Root = root;
        Cells = cells;
    }

    /// <summary>Where the notebook was read from.</summary>
    public string Path { get; }

    /// <summary>The notebook's file name without extension, e.g. <c>weekly-stats</c>.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <summary>The whole notebook.</summary>
    public JsonObject Root { get; }

    /// <summary>The cells, in order.</summary>
    public JsonArray Cells { get; }

    /// <summary>Reads a notebook and checks the nbformat 4 structure the runner relies on.</summary>
    /// <exception cref="ServiceRequestsException">Not JSON, or not an nbformat 4 notebook; the message names the file and the cell.</exception>
    public static NotebookDocument Load(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(Files.Read(path, () => File.ReadAllBytes(path)));
        }
        catch (JsonException e)
        {
            throw new ServiceRequestsException($"{path}: not JSON ({e.Message}).", e);
        }
        if (node is not JsonObject root || root["nbformat"]?.GetValueKind() != JsonValueKind.Number || root["nbformat"]!.GetValue<int>() != 4)
        {
            throw new ServiceRequestsException($"{path}: not an nbformat 4 notebook (no \"nbformat\": 4).");
        }
        if (root["cells"] is not JsonArray cells)
        {
            throw new ServiceRequestsException($"{path}: the notebook has no \"cells\" array.");
        }
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell || cell["cell_type"]?.GetValueKind() != JsonValueKind.String || SourceOf(cell) is null)
            {
                throw new ServiceRequestsException($"{path}: cell {i + 1} has no \"cell_type\" or no \"source\".");
            }
        }
        return new NotebookDocument(path, root, cells);
    }

    /// <summary>The kind of a cell: <c>code</c>, <c>markdown</c> or <c>raw</c>.</summary>
    public static string TypeOf(JsonNode cell) => cell["cell_type"]!.GetValue<string>();

    /// <summary>A cell's source text (nbformat allows a string or a list of lines).</summary>
    public static string? SourceOf(JsonNode cell) => cell["source"] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonArray lines when lines.All(l => l?.GetValueKind() == JsonValueKind.String) => string.Concat(lines.Select(l => l!.GetValue<string>())),
        _ => null,
    };

    /// <summary>Whether a cell carries the tag (<c>metadata.tags</c>).</summary>
    public static bool HasTag(JsonNode cell, string tag) =>
        cell["metadata"]?["tags"] is JsonArray tags && tags.Any(t => t?.GetValueKind() == JsonValueKind.String && t.GetValue<string>() == tag);

    /// <summary>Source text as nbformat's list of lines, each but the last ending in a newline.</summary>
    public static JsonArray Lines(string text)
    {
        var result = new JsonArray();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            end = end < 0 ? text.Length : end + 1;
            result.Add(text[start..end]);
            start = end;
        }
        return result;
    }

    /// <summary>The notebook as indented JSON (nbformat's usual layout), UTF-8 with a final newline.</summary>
    public byte[] ToBytes() =>
        Encoding.UTF8.GetBytes(Root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 1, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
}
