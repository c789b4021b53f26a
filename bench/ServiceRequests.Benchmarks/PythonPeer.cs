using System.Diagnostics;

namespace ServiceRequests.Benchmarks;

/// <summary>What the benchmarks that compare with a Python script share: finding the repository's files and running the script.</summary>
internal static class PythonPeer
{
    /// <summary>Runs <paramref name="python"/> with <paramref name="arguments"/> and returns its exit code and outputs.</summary>
    /// <exception cref="ServiceRequestsException">The interpreter cannot be started; the message says to install <paramref name="package"/> or pass --python.</exception>
    public static async Task<(int ExitCode, string Out, string Err)> RunAsync(string python, IEnumerable<string> arguments, string package, CancellationToken cancel)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ServiceRequestsException($"Could not start {python}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ServiceRequestsException($"Could not start '{python}' ({e.Message}); install Python 3 with {package} (Debian: apt-get install -y python3-{package}) or pass --python.", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancel);
            var stderr = process.StandardError.ReadToEndAsync(cancel);
            await process.WaitForExitAsync(cancel);
            return (process.ExitCode, await stdout, await stderr);
        }
    }

    /// <summary>A repository file, looked up from the current folder and the program's folder upwards.</summary>
    /// <exception cref="FileNotFoundException">Not found above either folder.</exception>
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
        throw new FileNotFoundException($"'{relative}' was not found above '{Directory.GetCurrentDirectory()}'; run the benchmark from inside the repository.");
    }
}
