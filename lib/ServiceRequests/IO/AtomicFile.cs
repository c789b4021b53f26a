namespace ServiceRequests.IO;

/// <summary>
/// Writes files atomically: the content goes to a temporary file in the same folder
/// (<c>.name.pid.guid.tmp</c>), is flushed to disk, replaces the target with a rename, and the
/// folder is flushed so the rename lasts. A crash at any moment leaves either the previous complete
/// file or the new one, never a half-written file (a killed run may leave its temporary file; the
/// sync store removes its own on the next run).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically with what <paramref name="write"/> puts in the stream.</summary>
    /// <exception cref="ServiceRequestsException">The folder cannot be created or the file cannot be written; the message names the path.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        var temp = TemporaryName(full);
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceRequestsException($"Cannot write '{full}': {e.Message}", e);
        }
        try
        {
            try
            {
                DurableFile.Write(temp, write);
            }
            catch (ServiceRequestsException e)
            {
                // A full disk, a lost mount: the previous file stays as it was.
                throw new ServiceRequestsException($"Cannot write '{full}': {e.InnerException?.Message ?? e.Message}", e);
            }
            DurableFile.Replace(temp, full);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
        DurableFile.FlushFolder(folder);
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no byte-order mark) to <paramref name="path"/> atomically.</summary>
    /// <inheritdoc cref="Write" path="/exception"/>
    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });

    /// <summary>Whether <paramref name="fileName"/> is a temporary file <see cref="Write"/> made for the file <paramref name="target"/> (a file name, no folder).</summary>
    public static bool IsTemporaryFor(string fileName, string target) =>
        fileName.StartsWith("." + target + ".", StringComparison.Ordinal) && fileName.EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>A fresh temporary name beside <paramref name="full"/> (a full path), as <see cref="Write"/> uses.</summary>
    public static string TemporaryName(string full) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
}
