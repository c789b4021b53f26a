using System.Diagnostics;
using System.Globalization;

namespace ServiceRequests.IO;

/// <summary>
/// The crash tests' hook into saving. Every durable step of a save (writing a file, renaming one,
/// flushing a folder) is numbered from 1 in the order the process takes them. With the environment
/// variable <c>SERVICEREQUESTS_TEST_FAULT=kill@N</c> the process kills itself at step N as
/// <c>kill -9</c> would (a write is cut in the middle); with <c>disk-full@N</c> step N fails as on a
/// full disk. Without the variable (always, outside the tests) a step costs one comparison.
/// </summary>
internal static class SaveFault
{
    /// <summary>The environment variable that arms the hook.</summary>
    public const string Variable = "SERVICEREQUESTS_TEST_FAULT";

    private static readonly (bool Kill, int Step)? Armed = Parse(Environment.GetEnvironmentVariable(Variable));
    private static int _steps;

    /// <summary>
    /// Counts one durable step on <paramref name="path"/>. When it is the armed one, cuts
    /// <paramref name="written"/> (the file being written, if any) to half its length, then kills the
    /// process or throws the <see cref="IOException"/> a full disk gives.
    /// </summary>
    public static void Step(string path, FileStream? written = null)
    {
        if (Armed is not { } armed || Interlocked.Increment(ref _steps) != armed.Step)
        {
            return;
        }
        if (written is not null)
        {
            written.Flush();
            written.SetLength(written.Length / 2);
            written.Flush();
        }
        if (armed.Kill)
        {
            Process.GetCurrentProcess().Kill();
        }
        throw new IOException($"No space left on device : '{path}'", 28);
    }

    private static (bool, int)? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        var at = value.IndexOf('@', StringComparison.Ordinal);
        var kind = at < 0 ? value : value[..at];
        if (at < 0 || kind is not ("kill" or "disk-full") || !int.TryParse(value[(at + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step < 1)
        {
            throw new InvalidOperationException($"{Variable} must be kill@N or disk-full@N (N = 1, 2, ...), not '{value}'.");
        }
        return (kind == "kill", step);
    }
}
