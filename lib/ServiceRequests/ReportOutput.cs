using System.Text;
using ServiceRequests.Http;
using ServiceRequests.IO;

namespace ServiceRequests;

/// <summary>
/// What a program that writes reports from the library's data (the <c>report</c> command's
/// notebook runner, or one of your own) needs so that no credential reaches its output and a
/// failed write leaves no half-written file: text scrubbed of credentials, addresses made safe to
/// print, text files written atomically and scrubbed, and files read and folders made with errors
/// of one line.
/// </summary>
public static class ReportOutput
{
    /// <summary>
    /// <paramref name="text"/> with every form of every credential this process knows (the
    /// toolkit's environment variables and the secrets a client was given) replaced by <c>***</c>.
    /// </summary>
    public static string Scrub(string text) => Secrets.Scrub(text);

    /// <summary>The address without user info, with query values of secret-looking names replaced by <c>***</c>.</summary>
    public static string SafeAddress(Uri? address) => SafeUri.Of(address);

    /// <summary>Writes <paramref name="text"/>, scrubbed (<see cref="Scrub"/>), to <paramref name="path"/> as UTF-8 atomically: a reader never sees half a file.</summary>
    /// <exception cref="ServiceRequestsException">The file cannot be written (the message names it).</exception>
    public static void WriteScrubbed(string path, string text) => AtomicFile.WriteAllText(path, Secrets.Scrub(text));

    /// <summary>The text (UTF-8) of the file at <paramref name="path"/>.</summary>
    /// <exception cref="ServiceRequestsException">The file cannot be read (missing, denied, an I/O error).</exception>
    public static string ReadAllText(string path) => Files.Read(path, () => File.ReadAllText(path, Encoding.UTF8));

    /// <summary>Creates the folder <paramref name="path"/> (and its parents) when it is missing.</summary>
    /// <exception cref="ServiceRequestsException">The folder cannot be created.</exception>
    public static void CreateFolder(string path) => Files.CreateFolder(path);
}
