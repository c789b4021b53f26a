namespace ServiceRequests.IO;

/// <summary>
/// Writes files atomically: the content goes to a temporary file in the same folder, is flushed
/// to disk, and then replaces the target with a rename. A crash at any moment leaves either the
/// previous complete file or the new complete one, never a half-written file.
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
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        FileStream stream;
        try
        {
            Directory.CreateDirectory(folder);
            stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceRequestsException($"Cannot write '{full}': {e.Message}", e);
        }
        try
        {
            try
            {
                using (stream)
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }
            }
            catch (IOException e)
            {
                // A full disk, a lost mount: the previous file stays as it was.
                throw new ServiceRequestsException($"Cannot write '{full}': {e.Message}", e);
            }
            try
            {
                File.Move(temp, full, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ServiceRequestsException($"Cannot replace '{full}': {e.Message}", e);
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8, no byte-order mark) to <paramref name="path"/> atomically.</summary>
    /// <inheritdoc cref="Write" path="/exception"/>
    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });
}
