using System.Globalization;
using System.Text.RegularExpressions;
using ServiceRequests.IO;

namespace ServiceRequests.Sync;

/// <summary>One file a save writes: its path in the store, its rows, how to write it, and whether it holds personal data.</summary>
/// <param name="Name">The path relative to the store (a <see cref="StoreLayout"/> name).</param>
/// <param name="Rows">Rows it holds (records of a table, lines of the run log), recorded in the state.</param>
/// <param name="Write">Writes the whole file into the stream.</param>
/// <param name="OwnerOnly">Personal data: the file is created readable by its owner only.</param>
internal sealed record StoreFileWrite(string Name, long Rows, Action<Stream> Write, bool OwnerOnly = false);

/// <summary>
/// Saves a store crash-consistently as a whole. A save is a generation: each file it writes goes
/// beside its place under a staged name (<c>.issues.csv.gen7</c>) and is flushed to disk; then
/// <c>state.json</c>, which names every file with the generation that wrote it, its rows, size and
/// SHA-256, is replaced atomically: that rename is the commit. Only then are the staged files
/// renamed into place. Killed (or out of disk) before the commit, the store is the previous
/// generation, whole, and the next run deletes the staged and temporary files; killed after it,
/// the next run finishes the renames (<see cref="Recover"/>). Opening checks every file against
/// the state (<see cref="Check"/>), so a file cut short or changed after a save is found.
/// <para>
/// Another file joins the generation by being one more <see cref="StoreFileWrite"/> in the list a
/// save passes to <see cref="Commit"/> (a Parquet copy of the public table: its
/// <see cref="StoreLayout"/> name, its rows and its writer); the state then records it, opening
/// checks it and a crash mid-save rolls it forward like the others. Nothing else changes.
/// </para>
/// </summary>
internal static partial class StoreCommit
{
    /// <summary>The store's own files (those a save can write), for recovering and cleaning up.</summary>
    private static readonly string[] KnownFiles =
        [StoreLayout.PrivateTable, StoreLayout.PublicTable, StoreLayout.PublicJson, StoreLayout.DeletedTable, StoreLayout.RunLogFile];

    /// <summary>The key of a file in the state: its path relative to the store, with <c>/</c>.</summary>
    public static string Key(string name) => name.Replace('\\', '/');

    /// <summary>
    /// Commits <paramref name="writes"/> and <paramref name="state"/> as the next generation of the
    /// store in <paramref name="folder"/>, as described on the class; returns the committed state.
    /// A file whose new content equals what the state records (and is not in <paramref name="rewrite"/>)
    /// is left as it is, keeping its generation.
    /// </summary>
    /// <exception cref="ServiceRequestsException">A write, the commit or a rename failed (a full disk, no permission); before the commit the store is unchanged.</exception>
    public static SyncState Commit(string folder, SyncState state, IEnumerable<StoreFileWrite> writes, IReadOnlySet<string> rewrite)
    {
        var generation = state.Generation + 1;
        var files = new SortedDictionary<string, SyncState.StoreFileEntry>(StringComparer.Ordinal);
        foreach (var (key, entry) in state.Files ?? new Dictionary<string, SyncState.StoreFileEntry>())
        {
            files[key] = entry;
        }
        var staged = new List<(string Staged, string Final)>();
        var statePath = Path.Combine(folder, StoreLayout.StateFile);
        var stateTemp = AtomicFile.TemporaryName(statePath);
        try
        {
            foreach (var write in writes)
            {
                var final = Path.Combine(folder, write.Name);
                var place = Path.GetDirectoryName(final)!;
                if (write.OwnerOnly)
                {
                    Files.CreatePrivateFolder(place);
                }
                else
                {
                    Files.CreateFolder(place);
                }
                var stagedPath = Staged(final, generation);
                var digest = DurableFile.Write(stagedPath, write.Write, write.OwnerOnly);
                var key = Key(write.Name);
                if (!rewrite.Contains(key) && files.TryGetValue(key, out var now) && now.Bytes == digest.Bytes && now.Sha256 == digest.Sha256 && File.Exists(final))
                {
                    // Unchanged: the file stays as it is and keeps its generation.
                    File.Delete(stagedPath);
                    if (write.OwnerOnly)
                    {
                        Files.RestrictToOwner(final);
                    }
                    continue;
                }
                files[key] = new SyncState.StoreFileEntry(generation, write.Rows, digest.Bytes, digest.Sha256);
                staged.Add((stagedPath, final));
            }
            foreach (var place in staged.Select(s => Path.GetDirectoryName(s.Staged)!).Distinct(StringComparer.Ordinal))
            {
                DurableFile.FlushFolder(place);
            }
            state = state with { Generation = generation, Files = files };
            DurableFile.Write(stateTemp, state.Write);
        }
        catch
        {
            // Before the commit: the previous generation stands; what this one staged goes.
            foreach (var leftover in staged.Select(s => s.Staged).Append(stateTemp))
            {
                DeleteQuietly(leftover);
            }
            throw;
        }
        // The commit. From here on a failure leaves staged files that Recover renames into place.
        DurableFile.Replace(stateTemp, statePath);
        DurableFile.FlushFolder(folder);
        foreach (var (stagedPath, final) in staged)
        {
            DurableFile.Replace(stagedPath, final);
        }
        foreach (var place in staged.Select(s => Path.GetDirectoryName(s.Final)!).Distinct(StringComparer.Ordinal))
        {
            DurableFile.FlushFolder(place);
        }
        return state;
    }

    /// <summary>
    /// Finishes what a killed save left: renames into place the staged files of the committed
    /// generation, and deletes staged files of a generation never committed and temporary files of
    /// the store's own files. Run only while holding the store's lock.
    /// </summary>
    /// <exception cref="ServiceRequestsException">A rename or a deletion failed.</exception>
    public static void Recover(string folder, SyncState state)
    {
        var names = KnownFiles.Concat((state.Files?.Keys ?? []).Select(k => k.Replace('/', Path.DirectorySeparatorChar))).Append(StoreLayout.StateFile)
            .Distinct(StringComparer.Ordinal).ToList();
        var flush = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var final = Path.Combine(folder, name);
            var place = Path.GetDirectoryName(final)!;
            if (!Directory.Exists(place))
            {
                continue;
            }
            var committed = state.Files?.GetValueOrDefault(Key(name)) is { } entry ? Staged(final, entry.Generation) : null;
            if (committed is not null && File.Exists(committed))
            {
                DurableFile.Replace(committed, final);
                flush.Add(place);
            }
            var file = Path.GetFileName(final);
            foreach (var leftover in Directory.EnumerateFiles(place, "." + file + ".*"))
            {
                var leftoverName = Path.GetFileName(leftover);
                if (IsStaged(leftoverName, file) || AtomicFile.IsTemporaryFor(leftoverName, file))
                {
                    TryDelete(leftover);
                }
            }
        }
        foreach (var place in flush)
        {
            DurableFile.FlushFolder(place);
        }
    }

    /// <summary>The files that differ from what <paramref name="state"/> records (missing, another size, another SHA-256), with what is wrong.</summary>
    /// <exception cref="ServiceRequestsException">A file cannot be read.</exception>
    public static IEnumerable<(string Key, string Problem)> Check(string folder, SyncState state)
    {
        foreach (var (key, entry) in state.Files ?? new Dictionary<string, SyncState.StoreFileEntry>())
        {
            var path = Path.Combine(folder, key.Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(path))
            {
                yield return (key, string.Create(CultureInfo.InvariantCulture, $"is missing (the last save wrote {entry.Rows:N0} rows there)"));
                continue;
            }
            var digest = FileDigest.Of(path);
            if (digest.Bytes != entry.Bytes)
            {
                yield return (key, string.Create(CultureInfo.InvariantCulture,
                    $"is not what the last save wrote: {digest.Bytes:N0} bytes where it wrote {entry.Bytes:N0} ({entry.Rows:N0} rows), so it was cut short, extended or replaced"));
            }
            else if (digest.Sha256 != entry.Sha256)
            {
                yield return (key, string.Create(CultureInfo.InvariantCulture,
                    $"is not what the last save wrote: the same {digest.Bytes:N0} bytes but another SHA-256, so bytes in it were changed"));
            }
        }
    }

    /// <summary>The staged name of <paramref name="path"/> in <paramref name="generation"/>: <c>.name.gen7</c> beside it.</summary>
    private static string Staged(string path, long generation) =>
        Path.Combine(Path.GetDirectoryName(path)!, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(path)}.gen{generation}"));

    private static bool IsStaged(string fileName, string target) =>
        fileName.StartsWith("." + target + ".gen", StringComparison.Ordinal) && GenerationSuffix().IsMatch(fileName[(target.Length + 5)..]);

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex GenerationSuffix();

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The next run's Recover deletes it.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceRequestsException($"Cannot delete the leftover '{path}' of an interrupted save: {e.Message}", e);
        }
    }
}
