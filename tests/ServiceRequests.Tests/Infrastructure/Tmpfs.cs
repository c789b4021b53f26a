using System.Diagnostics;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>
/// A tmpfs mounted on a fresh folder for one test (a disk that fills up, a read-only disk);
/// needs <c>mount</c> on PATH and the right to mount (root with CAP_SYS_ADMIN). Unmounted on dispose.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private static readonly Lazy<string?> Why = new(() =>
    {
        if (!OperatingSystem.IsLinux())
        {
            return "tmpfs is Linux only";
        }
        if (Tools.OnPath("mount") is null || Tools.OnPath("umount") is null)
        {
            return "no mount/umount on PATH";
        }
        using var probe = new TempFolder();
        if (Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.Path) != 0)
        {
            return "mounting a tmpfs failed (it needs root with CAP_SYS_ADMIN)";
        }
        Run("umount", probe.Path);
        return null;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly TempFolder _parent = new();

    /// <summary>Mounts a tmpfs with <paramref name="options"/> (e.g. <c>size=4m</c> or <c>ro,size=64k</c>).</summary>
    /// <exception cref="InvalidOperationException">mount failed (check <see cref="Unavailable"/> first).</exception>
    public Tmpfs(string options)
    {
        Path = System.IO.Path.Combine(_parent.Path, "tmpfs");
        Directory.CreateDirectory(Path);
        if (Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", Path) != 0)
        {
            _parent.Dispose();
            throw new InvalidOperationException($"mount -t tmpfs -o {options} failed; {Unavailable}");
        }
    }

    /// <summary>Why no tmpfs can be mounted here, or null when one can.</summary>
    public static string? Unavailable => Why.Value;

    /// <summary>Where it is mounted.</summary>
    public string Path { get; }

    /// <summary>Bytes free on it.</summary>
    public long Free => new DriveInfo(Path).AvailableFreeSpace;

    /// <inheritdoc/>
    public void Dispose()
    {
        Run("umount", Path);
        _parent.Dispose();
    }

    private static int Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        try
        {
            using var process = Process.Start(start)!;
            process.WaitForExit();
            return process.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return -1;
        }
    }
}
