namespace ServiceRequests.IO;

/// <summary>
/// Reading files the user named: an I/O failure or a denied access becomes a
/// <see cref="ServiceRequestsException"/> that names the file, so it reaches the user as one line.
/// </summary>
internal static class Files
{
    /// <summary>Runs <paramref name="read"/>, which reads <paramref name="path"/>.</summary>
    /// <exception cref="ServiceRequestsException">The file cannot be read (missing, denied, an I/O error).</exception>
    public static T Read<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotRead(path, e);
        }
    }

    /// <summary>Creates the folder <paramref name="path"/> (and its parents) when it is missing.</summary>
    /// <exception cref="ServiceRequestsException">The folder cannot be created.</exception>
    public static void CreateFolder(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceRequestsException($"Cannot create the folder '{path}': {e.Message}", e);
        }
    }

    /// <summary>The failure to read <paramref name="path"/>.</summary>
    public static ServiceRequestsException CannotRead(string path, Exception e) => new($"Cannot read '{path}': {e.Message}", e);
}
