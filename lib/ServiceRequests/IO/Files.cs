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

    /// <summary>Read, write and list for the owner only (0700): folders with personal data.</summary>
    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates the folder <paramref name="path"/> readable by its owner only (0700 on Unix), or
    /// closes up an existing one that others could read (a store made by an older version).
    /// </summary>
    /// <exception cref="ServiceRequestsException">The folder cannot be created or its mode set.</exception>
    public static void CreatePrivateFolder(string path)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
                return;
            }
            Directory.CreateDirectory(path, OwnerOnlyFolder);
            if (File.GetUnixFileMode(path) != OwnerOnlyFolder)
            {
                File.SetUnixFileMode(path, OwnerOnlyFolder);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceRequestsException($"Cannot create the private folder '{path}' readable by its owner only: {e.Message}", e);
        }
    }

    /// <summary>Makes the existing file <paramref name="path"/> readable by its owner only (0600 on Unix; nothing on Windows).</summary>
    /// <exception cref="ServiceRequestsException">Its mode cannot be set.</exception>
    public static void RestrictToOwner(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        try
        {
            if (File.GetUnixFileMode(path) != DurableFile.OwnerOnly)
            {
                File.SetUnixFileMode(path, DurableFile.OwnerOnly);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceRequestsException($"Cannot make '{path}' readable by its owner only: {e.Message}", e);
        }
    }

    /// <summary>The failure to read <paramref name="path"/>.</summary>
    public static ServiceRequestsException CannotRead(string path, Exception e) => new($"Cannot read '{path}': {e.Message}", e);
}
