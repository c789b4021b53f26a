using System.IO.Compression;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;
using ServiceRequests.Socrata;

namespace ServiceRequests;

/// <summary>
/// Loads issues in the portal shape (<see cref="PortalSchema"/>) into a typed DataFrame, from
/// the bundled sample or a local Socrata JSON file (<c>.json</c> or <c>.json.gz</c>).
/// </summary>
public static class IssueData
{
    /// <summary>The data-source name of the bundled synthetic sample.</summary>
    public const string SampleSource = "sample";

    /// <summary>The bundled sample's path relative to the repository root.</summary>
    public const string SampleRelativePath = "data/improve-detroit-sample.json.gz";

    /// <summary>
    /// Loads <paramref name="source"/>: <c>sample</c> (the bundled sample) or the path of a
    /// <c>.json</c> / <c>.json.gz</c> file in the portal's shape.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file (or the bundled sample) is not there.</exception>
    /// <exception cref="FormatException">The file is not portal-shaped JSON; the message names file, row, field and byte.</exception>
    public static DataFrame Load(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return string.Equals(source, SampleSource, StringComparison.OrdinalIgnoreCase)
            ? LoadFile(FindSample())
            : LoadFile(source);
    }

    /// <summary>Loads a local <c>.json</c> or <c>.json.gz</c> file in the portal's shape.</summary>
    /// <inheritdoc cref="Load" path="/exception"/>
    public static DataFrame LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No such file: '{Path.GetFullPath(path)}'.", path);
        }
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using Stream input = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        var builder = new FrameBuilder(PortalSchema.FrameColumns, capacity: (int)Math.Min(int.MaxValue / 2, Math.Max(1024, file.Length / 200)));
        new SodaJsonReader(builder, path).Read(input);
        return builder.ToDataFrame();
    }

    /// <summary>
    /// The bundled sample's full path: looked up from the current folder and the library's own
    /// folder upwards, so it is found from the repository root, <c>notebooks/</c> or a build output.
    /// </summary>
    /// <exception cref="FileNotFoundException">No <c>data/improve-detroit-sample.json.gz</c> above either folder.</exception>
    public static string FindSample()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, SampleRelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new FileNotFoundException(
            $"The bundled sample '{SampleRelativePath}' was not found above '{Directory.GetCurrentDirectory()}'. " +
            "Run from inside the repository, or pass the file's path instead of 'sample'.");
    }
}
