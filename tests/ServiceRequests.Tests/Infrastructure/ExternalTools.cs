using System.Diagnostics;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>Outside programs some tests drive, looked up on PATH (CI installs them; elsewhere those tests skip and say why).</summary>
public static class ExternalTools
{
    private static readonly Lazy<string?> JupyterPython = new(() => PythonWith("nbclient", "nbconvert", "nbformat"));

    /// <summary>The python3 of a Jupyter client: the first on PATH that imports nbclient, nbconvert and nbformat (Debian's imports them only under /usr/bin/python3).</summary>
    public static string? Jupyter => JupyterPython.Value;

    /// <summary>Why the real-kernel tests cannot run here, or null when they can.</summary>
    public static string? JupyterMissing =>
        Jupyter is null
            ? "needs a python3 on PATH with nbclient, nbconvert and nbformat (apt-get install python3-nbclient python3-nbconvert jupyter-client)"
            : !Directory.Exists(Path.Combine(NuGetPackages, "microsoft.dotnet-interactive"))
                ? "needs the dotnet-interactive tool: run `dotnet tool restore` in the repository"
                : null;

    /// <summary>Every executable called <paramref name="name"/> on PATH, in PATH order.</summary>
    public static IEnumerable<string> OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal);

    /// <summary>The first python3 on PATH that can import every module named, or null.</summary>
    public static string? PythonWith(params string[] modules) =>
        OnPath("python3").FirstOrDefault(python => Run(python, ["-c", "import " + string.Join(", ", modules)], Environment.CurrentDirectory, null, TimeSpan.FromSeconds(30)).ExitCode == 0);

    /// <summary>The NuGet global packages folder (where `dotnet tool restore` puts local tools).</summary>
    public static string NuGetPackages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>Runs a program to its end (or kills it at <paramref name="timeout"/>) and returns its exit code and output.</summary>
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
            return (-1, $"{program} timed out after {timeout.TotalSeconds:F0} s\n{output.Result}{error.Result}");
        }
        return (process.ExitCode, output.Result + error.Result);
    }
}

/// <summary>A fact that needs the real .NET Interactive kernel and a Jupyter client; skipped, with the reason, where they are missing.</summary>
public sealed class JupyterFactAttribute : FactAttribute
{
    /// <summary>Skips when <see cref="ExternalTools.JupyterMissing"/> says why.</summary>
    public JupyterFactAttribute() => Skip = ExternalTools.JupyterMissing;
}

/// <summary>A theory that needs the real .NET Interactive kernel and a Jupyter client; skipped, with the reason, where they are missing.</summary>
public sealed class JupyterTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips when <see cref="ExternalTools.JupyterMissing"/> says why.</summary>
    public JupyterTheoryAttribute() => Skip = ExternalTools.JupyterMissing;
}
