namespace ServiceRequests.Benchmarks;

/// <summary>The repository's files a benchmark reads (the peers' scripts, the SLA table, the districts).</summary>
internal static class RepositoryFiles
{
    /// <summary>A repository file, looked up from the current folder and the program's folder upwards.</summary>
    /// <exception cref="ServiceRequestsException">Not found above either folder.</exception>
    public static string FindUp(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new ServiceRequestsException($"'{relative}' was not found above '{Directory.GetCurrentDirectory()}'; run the benchmark from inside the repository.");
    }
}
