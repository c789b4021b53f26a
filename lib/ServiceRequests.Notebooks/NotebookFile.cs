using System.Text;
using System.Text.Json;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace ServiceRequests.Notebooks;

/// <summary>
/// Reads and writes notebooks (<c>.ipynb</c>, nbformat 4) with .NET Interactive's own document
/// model (<see cref="Notebook"/>), so an executed notebook is written in the format Polyglot
/// Notebooks and dotnet-repl write. Reading first checks the nbformat 4 structure, so a file that
/// is not a notebook is one line naming the file and the cell.
/// </summary>
internal static class NotebookFile
{
    /// <summary>The one kernel the notebooks use: C#.</summary>
    public const string CSharp = "csharp";

    /// <summary>The kernels a notebook's cells may name (C#; markdown cells are not run).</summary>
    public static KernelInfoCollection Kernels()
    {
        var kernels = new KernelInfoCollection { new KernelInfo(CSharp, "C#", []) };
        kernels.DefaultKernelName = CSharp;
        return kernels;
    }

    /// <summary>Reads a notebook.</summary>
    /// <exception cref="ServiceRequestsException">Not JSON, or not an nbformat 4 notebook; the message names the file and the cell.</exception>
    public static InteractiveDocument Read(string path)
    {
        var json = ReportOutput.ReadAllText(path);
        Check(path, json);
        try
        {
            return Notebook.Parse(json, Kernels());
        }
        catch (Exception e) when (e is JsonException or InvalidCastException or InvalidOperationException or KeyNotFoundException or ArgumentException or FormatException)
        {
            throw new ServiceRequestsException($"{path}: not a notebook .NET Interactive can read ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Writes <paramref name="document"/> to <paramref name="path"/> atomically (a reader never sees
    /// half a file), without any credential of the environment in any form (<see cref="ReportOutput.Scrub"/>),
    /// whatever a cell printed or threw.
    /// </summary>
    public static void Write(InteractiveDocument document, string path)
    {
        using var buffer = new MemoryStream();
        Notebook.Write(document, buffer, Kernels());
        ReportOutput.WriteScrubbed(path, Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>Whether a cell is code the kernel runs (markdown and raw cells are not).</summary>
    public static bool IsCode(InteractiveDocumentElement cell) => cell.KernelName is not ("markdown" or "raw");

    /// <summary>Whether a cell carries the tag (<c>metadata.tags</c>).</summary>
    public static bool HasTag(InteractiveDocumentElement cell, string tag) =>
        cell.Metadata?.TryGetValue("tags", out var tags) == true && Strings(tags).Contains(tag, StringComparer.Ordinal);

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        string s => [s],
        JsonElement { ValueKind: JsonValueKind.Array } array => array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!),
        System.Collections.IEnumerable items => items.OfType<object>().Select(i => i is JsonElement { ValueKind: JsonValueKind.String } e ? e.GetString()! : i as string).OfType<string>(),
        _ => [],
    };

    /// <summary>The nbformat 4 structure the runner relies on: <c>"nbformat": 4</c>, a <c>cells</c> array, each cell with a <c>cell_type</c> and a <c>source</c>.</summary>
    private static void Check(string path, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ServiceRequestsException($"{path}: not JSON ({e.Message}).", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("nbformat", out var format) || format.ValueKind != JsonValueKind.Number
                || !format.TryGetInt32(out var version) || version != 4)
            {
                throw new ServiceRequestsException($"{path}: not an nbformat 4 notebook (no \"nbformat\": 4).");
            }
            if (!root.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
            {
                throw new ServiceRequestsException($"{path}: the notebook has no \"cells\" array.");
            }
            var number = 0;
            foreach (var cell in cells.EnumerateArray())
            {
                number++;
                if (cell.ValueKind != JsonValueKind.Object || !cell.TryGetProperty("cell_type", out var type) || type.ValueKind != JsonValueKind.String
                    || !cell.TryGetProperty("source", out var source) || !IsSource(source))
                {
                    throw new ServiceRequestsException($"{path}: cell {number} has no \"cell_type\" or no \"source\".");
                }
            }
        }
    }

    /// <summary>nbformat allows a string or a list of strings.</summary>
    private static bool IsSource(JsonElement source) =>
        source.ValueKind == JsonValueKind.String
        || (source.ValueKind == JsonValueKind.Array && source.EnumerateArray().All(line => line.ValueKind == JsonValueKind.String));
}
