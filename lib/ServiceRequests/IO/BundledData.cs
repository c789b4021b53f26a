namespace ServiceRequests.IO;

/// <summary>
/// The repository's <c>data/</c> folder, where the bundled sample and SLA table live: looked up
/// from the current folder and the library's own folder upwards, so it is found from the
/// repository root, <c>notebooks/</c> or a build output. Loading and metrics both use it, neither
/// through the other.
/// </summary>
internal static class BundledData
{
    /// <summary>The bundled sample's path relative to the repository root.</summary>
    public const string SampleRelativePath = "data/improve-detroit-sample.json.gz";

    /// <summary>The bundled sample's full path.</summary>
    /// <exception cref="ServiceRequestsException">No <see cref="SampleRelativePath"/> above either folder.</exception>
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
        throw new ServiceRequestsException(
            $"The bundled sample '{SampleRelativePath}' was not found above '{Directory.GetCurrentDirectory()}'. " +
            "Run from inside the repository, or pass the file's path instead of 'sample'.");
    }

    /// <summary>The full path of <paramref name="fileName"/> in the data folder that holds the bundled sample.</summary>
    /// <inheritdoc cref="FindSample" path="/exception"/>
    public static string Find(string fileName) => Path.Combine(Path.GetDirectoryName(FindSample())!, fileName);
}
