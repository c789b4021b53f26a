namespace ServiceRequests.Tests.Infrastructure;

/// <summary>Paths of the repository and of the shared real data, found from the test's folder.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding Analysis.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path under the repository root.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A file of real public data kept with the tests (see RealData/SOURCES.md).</summary>
    public static string RealData(string name) => Path.Combine(AppContext.BaseDirectory, "RealData", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Analysis.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Analysis.sln not found above " + AppContext.BaseDirectory);
    }
}
