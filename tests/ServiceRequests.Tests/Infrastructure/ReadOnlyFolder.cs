using System.Runtime.Versioning;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>
/// A folder nobody can write in: mode 0555 for an ordinary user; for root (who writes anyway) a
/// read-only <see cref="Tmpfs"/>.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ReadOnlyFolder : IDisposable
{
    private readonly TempFolder? _folder;
    private readonly Tmpfs? _mount;

    /// <summary>Makes the folder (skip the test first when <see cref="Unavailable"/> says so).</summary>
    public ReadOnlyFolder()
    {
        if (IsRoot)
        {
            _mount = new Tmpfs("ro,size=64k");
            Path = _mount.Path;
        }
        else
        {
            _folder = new TempFolder();
            Path = _folder.Path;
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }

    /// <summary>Why no read-only folder can be made here, or null when one can.</summary>
    public static string? Unavailable =>
        IsRoot && Tmpfs.Unavailable is { } why ? $"running as root, who writes in any folder, so only a read-only mount would do, and {why}" : null;

    /// <summary>The read-only folder.</summary>
    public string Path { get; }

    private static bool IsRoot => Environment.UserName == "root";

    /// <inheritdoc/>
    public void Dispose()
    {
        _mount?.Dispose();
        if (_folder is not null)
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            _folder.Dispose();
        }
    }
}
