using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ServiceRequests.IO;

/// <summary>A file's size and SHA-256 (lower-case hex).</summary>
/// <param name="Bytes">Its length in bytes.</param>
/// <param name="Sha256">Its SHA-256, lower-case hex.</param>
internal readonly record struct FileDigest(long Bytes, string Sha256)
{
    /// <summary>The digest of the file at <paramref name="path"/>.</summary>
    /// <exception cref="ServiceRequestsException">The file cannot be read.</exception>
    public static FileDigest Of(string path) => Files.Read(path, () =>
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return new FileDigest(file.Length, Hex(SHA256.HashData(file)));
    });

    /// <summary>Lower-case hex, as <c>sha256sum</c> prints it.</summary>
    internal static string Hex(byte[] hash) => string.Concat(hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}

/// <summary>
/// The durable steps a crash-consistent save is made of: writing a new file and flushing it to
/// disk, renaming a file over another, and flushing a folder, since on Unix a rename survives a
/// power cut only once its folder is flushed (Windows has no such step: NTFS journals renames).
/// Each step is one step of <see cref="SaveFault"/>, the crash tests' hook. .NET has no call that
/// flushes a folder (it refuses to open one), so that one is <c>open</c> + <c>fsync</c> from libc.
/// </summary>
internal static class DurableFile
{
    /// <summary>Read and write for the owner only (0600): files with personal data.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Writes a new file at <paramref name="path"/> (removing a leftover of that name first) with what
    /// <paramref name="write"/> puts in the stream, flushed to disk; <paramref name="ownerOnly"/>
    /// creates it readable by its owner only (on Unix). Returns its size and SHA-256.
    /// </summary>
    /// <exception cref="ServiceRequestsException">The file cannot be written (a full disk, no permission); the message names it.</exception>
    public static FileDigest Write(string path, Action<Stream> write, bool ownerOnly = false)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }
        try
        {
            File.Delete(path);
            using var file = new FileStream(path, options);
            using var digest = new DigestStream(file);
            write(digest);
            digest.Flush();
            SaveFault.Step(path, file);
            file.Flush(flushToDisk: true);
            return digest.Result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceRequestsException($"Cannot write '{path}': {e.Message}", e);
        }
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>, replacing it.</summary>
    /// <exception cref="ServiceRequestsException">The rename failed; the message names the target.</exception>
    public static void Replace(string from, string to)
    {
        try
        {
            SaveFault.Step(to);
            File.Move(from, to, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceRequestsException($"Cannot replace '{to}': {e.Message}", e);
        }
    }

    /// <summary>Flushes <paramref name="folder"/> to disk, so that the renames and new files in it survive a power cut (Unix; nothing to do on Windows).</summary>
    /// <exception cref="ServiceRequestsException">The flush failed; the message names the folder.</exception>
    public static void FlushFolder(string folder)
    {
        try
        {
            SaveFault.Step(folder);
        }
        catch (IOException e)
        {
            throw new ServiceRequestsException($"Cannot flush the folder '{folder}': {e.Message}", e);
        }
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        const int ReadOnly = 0, NotSupported = 22; // O_RDONLY; EINVAL: a file system that cannot flush a folder
        var handle = Open(System.Text.Encoding.UTF8.GetBytes(folder + "\0"), ReadOnly);
        if (handle < 0)
        {
            throw new ServiceRequestsException($"Cannot flush the folder '{folder}': open failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            if (Fsync(handle) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != NotSupported)
            {
                throw new ServiceRequestsException($"Cannot flush the folder '{folder}': fsync failed (errno {errno}).");
            }
        }
        finally
        {
            _ = Close(handle);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open(byte[] nulTerminatedUtf8Path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int handle);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int handle);

    /// <summary>A write-only stream over a file that hashes (SHA-256) and counts what goes through it.</summary>
    private sealed class DigestStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _bytes;

        public FileDigest Result => new(_bytes, FileDigest.Hex(_hash.GetCurrentHash()));

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _bytes;
        public override long Position { get => _bytes; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            _hash.AppendData(buffer);
            _bytes += buffer.Length;
        }

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
