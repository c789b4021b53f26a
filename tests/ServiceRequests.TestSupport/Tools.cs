using System.Diagnostics;

namespace ServiceRequests.TestSupport;

/// <summary>
/// The outside programs the tests and the benchmarks use, looked up on PATH (never at a fixed
/// place): a python3 that can import pandas, a Jupyter client's python3, and Chromium; and the
/// .NET Interactive kernel, a local tool of the repository. Each is looked up once per process.
/// </summary>
internal static class Tools
{
    private static readonly Lazy<string?> Pandas = new(() => PythonWith("pandas"));
    private static readonly Lazy<string?> Browser = new(() => OnPath("chromium") ?? OnPath("chromium-browser"));
    private static readonly Lazy<string?> JupyterClient = new(() => PythonWith("nbclient, nbconvert, nbformat"));

    /// <summary>
    /// The first python3 on PATH that imports pandas, or null. Every python3 on PATH is tried in
    /// order: the first one is often pyenv's, while Debian's python3-pandas imports only under /usr/bin/python3.
    /// </summary>
    public static string? PythonWithPandas => Pandas.Value;

    /// <summary>The first python3 on PATH with a Jupyter client (nbclient, nbconvert, nbformat), or null.</summary>
    public static string? Jupyter => JupyterClient.Value;

    /// <summary>
    /// Why the notebooks cannot run in the real kernel here (no Jupyter client, or the
    /// dotnet-interactive tool not restored), or null when they can.
    /// </summary>
    public static string? JupyterMissing =>
        Jupyter is null
            ? "no python3 on PATH imports nbclient, nbconvert and nbformat: install Debian's python3-nbclient python3-nbconvert jupyter-client (.ci/run does)"
            : !Directory.Exists(Path.Combine(NuGetPackages, "microsoft.dotnet-interactive"))
                ? "the dotnet-interactive tool is not restored: run `dotnet tool restore` in the repository (.ci/run does)"
                : null;

    /// <summary>NuGet's global packages folder, where `dotnet tool restore` puts the local tools.</summary>
    public static string NuGetPackages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

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
        try
        {
            return Run(python, ["-c", "import " + module], Environment.CurrentDirectory, null, TimeSpan.FromSeconds(60)).ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs a program to its end (killing it, with its children, at <paramref name="timeout"/>: exit
    /// code -1) and returns its exit code and what it printed on standard output and error.
    /// </summary>
    public static (int ExitCode, string Output) Run(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{program} killed after {timeout.TotalSeconds:F0} s\n{output.Result}{error.Result}");
        }
        return (process.ExitCode, output.Result + error.Result);
    }
}
