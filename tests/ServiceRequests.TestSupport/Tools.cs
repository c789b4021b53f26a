using System.Diagnostics;

namespace ServiceRequests.TestSupport;

/// <summary>
/// The outside programs the tests and the benchmarks use, looked up on PATH (never at a fixed
/// place): a python3 that can import pandas, and Chromium. Each is looked up once per process.
/// </summary>
internal static class Tools
{
    private static readonly Lazy<string?> Pandas = new(() => PythonWith("pandas"));
    private static readonly Lazy<string?> Browser = new(() => OnPath("chromium") ?? OnPath("chromium-browser"));

    /// <summary>
    /// The first python3 on PATH that imports pandas, or null. Every python3 on PATH is tried in
    /// order: the first one is often pyenv's, while Debian's python3-pandas imports only under /usr/bin/python3.
    /// </summary>
    public static string? PythonWithPandas => Pandas.Value;

    /// <summary>Chromium on PATH (Debian's <c>chromium</c>), or null.</summary>
    public static string? Chromium => Browser.Value;

    /// <summary>What to install when pandas is missing.</summary>
    public const string PandasHint = "no python3 on PATH imports pandas: install Debian's python3-pandas (apt-get install -y python3-pandas; .ci/run does)";

    /// <summary>What to install when Chromium is missing.</summary>
    public const string ChromiumHint = "no chromium on PATH: install Debian's chromium (apt-get install -y chromium; .ci/run does)";

    /// <summary>The first executable file named <paramref name="name"/> in the folders of PATH, or null.</summary>
    public static string? OnPath(string name) => AllOnPath(name).FirstOrDefault();

    /// <summary>The first python3 on PATH that imports <paramref name="module"/>, or null.</summary>
    public static string? PythonWith(string module) => AllOnPath("python3").FirstOrDefault(python => Imports(python, module));

    /// <summary>Every executable file named <paramref name="name"/> in the folders of PATH, in PATH order.</summary>
    private static IEnumerable<string> AllOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(folder => Path.Combine(folder, name))
            .Where(IsExecutable)
            .Distinct(StringComparer.Ordinal);

    private static bool IsExecutable(string path) =>
        File.Exists(path)
        && (OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    private static bool Imports(string python, string module)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import " + module);
        try
        {
            using var process = Process.Start(start);
            if (process is null)
            {
                return false;
            }
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                return false;
            }
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
