using System.Diagnostics;

namespace ServiceRequests.Benchmarks;

/// <summary>Runs a Python peer (pandas, matplotlib, geopandas): a Python process whose output the benchmark reads when it has finished.</summary>
internal static class PythonProcess
{
    /// <summary>Runs <paramref name="python"/> with <paramref name="arguments"/>; returns its exit code, standard output and standard error.</summary>
    /// <param name="python">The interpreter.</param>
    /// <param name="arguments">The script and its arguments.</param>
    /// <param name="cancel">Cancels the wait.</param>
    /// <param name="package">The Debian package (<c>python3-{package}</c>) the peer needs, named when the interpreter cannot start.</param>
    /// <exception cref="ServiceRequestsException">The program cannot be started; the message names it and what to install.</exception>
    public static async Task<(int Code, string Output, string Error)> RunAsync(string python, IEnumerable<string> arguments, CancellationToken cancel, string package = "pandas")
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ServiceRequestsException($"Could not start '{python}'.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ServiceRequestsException($"Could not start '{python}' ({e.Message}); install Python 3 with {package} (Debian: apt-get install -y python3-{package}) or pass --python.", e);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancel);
            var error = process.StandardError.ReadToEndAsync(cancel);
            await process.WaitForExitAsync(cancel);
            return (process.ExitCode, await output, await error);
        }
    }
}
