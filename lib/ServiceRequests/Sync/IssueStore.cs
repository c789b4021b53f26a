using System.Globalization;
using System.Text;
using System.Text.Json;
using ServiceRequests.Geo;
using ServiceRequests.IO;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Sync;

/// <summary>What an upsert did to the store.</summary>
internal enum StoreChange
{
    /// <summary>A new id.</summary>
    Inserted,
    /// <summary>The id was there with other values; the fetched issue replaced it.</summary>
    Updated,
    /// <summary>The id was there with the same values, or with a newer <c>updated_at</c> (the incoming copy was older and ignored).</summary>
    Unchanged,
}

/// <summary>
/// The local dataset in a folder: <c>private/issues.csv</c> (<see cref="FlatIssue.PrivateColumns"/>,
/// one row per id, sorted by id, readable by its owner only), the public export
/// <c>public/issues.csv</c>, <c>public/issues.json</c> with its columnar copy
/// <c>public/issues.parquet</c>, and <c>public/deleted.csv</c> (built from
/// <see cref="PortalRow"/>, an allowlist, with <see cref="PublicRedaction"/>), <c>state.json</c>
/// and the run log <c>runs.jsonl</c>. Every save is one generation committed by
/// <see cref="StoreCommit"/>: whatever moment a save dies, the store is the previous save or the
/// new one, and opening finds any file changed since. The same content always gives the same bytes.
/// </summary>
internal sealed partial class IssueStore
{
    private const string Advice = "Run a full sync to repair it (it fetches every issue again), or restore the store from a backup.";
    private static readonly int UpdatedAtColumn = IndexOf("updated_at");
    private static readonly string[] DeletedColumns = ["id", "deleted_at"];
    private readonly Dictionary<long, string?[]> _rows;
    private readonly SortedDictionary<long, string> _deleted;
    private readonly HashSet<long> _lost;
    private readonly List<string> _runLog;
    private readonly HashSet<string> _damaged;

    private IssueStore(string folder, Dictionary<long, string?[]> rows, SortedDictionary<long, string> deleted, SyncState state, Repair repair)
    {
        Folder = folder;
        _rows = rows;
        _deleted = deleted;
        State = state;
        _runLog = repair.RunLog;
        _lost = repair.Lost;
        _damaged = repair.Damaged;
        Repairs = repair.Notes;
    }

    /// <summary>The store's folder.</summary>
    public string Folder { get; }

    /// <summary>Issues in the store.</summary>
    public int Count => _rows.Count;

    /// <summary>The high-water mark of the last finished sync (null before the first).</summary>
    public DateTimeOffset? Watermark => State.Watermark;

    /// <summary>The ids in the store.</summary>
    public IReadOnlyCollection<long> Ids => _rows.Keys;

    /// <summary>
    /// The ids a full run must see to keep: the store's, and those a repair knows only from the
    /// public table (their private rows were lost to damage), which become deletions if not seen.
    /// </summary>
    public IEnumerable<long> KnownIds => _rows.Keys.Concat(_lost);

    /// <summary>Ids listed as deleted from the source, with when that was found.</summary>
    public IReadOnlyDictionary<long, string> Deleted => _deleted;

    /// <summary>What opening in repair mode found damaged and how it is repaired (empty when nothing was).</summary>
    public IReadOnlyList<string> Repairs { get; }

    /// <summary>The committed state (<see cref="StoreCommit"/>): source, high-water mark, resume point, files.</summary>
    internal SyncState State { get; private set; }

    /// <summary>
    /// Opens the store in <paramref name="folder"/> (empty when nothing is there yet): finishes or
    /// undoes a save that was killed (<see cref="StoreCommit.Recover"/>; call it holding the store's
    /// lock) and checks every file against the state. A damaged file is refused, unless
    /// <paramref name="repair"/> (a full run, which fetches everything again): then what can be read
    /// is kept, <see cref="Repairs"/> says what was damaged, and the next save rewrites it.
    /// </summary>
    /// <exception cref="ServiceRequestsException">A store file is damaged or not the store's; the message names the file.</exception>
    public static IssueStore Open(string folder, bool repair = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        folder = Path.GetFullPath(folder);
        var found = new Repair();
        var statePath = Path.Combine(folder, StoreLayout.StateFile);
        SyncState state;
        try
        {
            state = SyncState.Load(statePath);
        }
        catch (ServiceRequestsException e) when (repair && File.Exists(statePath))
        {
            found.Notes.Add($"{StoreLayout.StateFile} was damaged ({e.InnerException?.Message ?? e.Message}); the run starts afresh and reads the other files as far as they go");
            found.Damaged.Add(StoreCommit.Key(StoreLayout.StateFile));
            state = new SyncState();
        }
        StoreCommit.Recover(folder, state);
        foreach (var (key, problem) in StoreCommit.Check(folder, state))
        {
            if (!repair)
            {
                throw new ServiceRequestsException($"'{Path.Combine(folder, key.Replace('/', Path.DirectorySeparatorChar))}' {problem}. {Advice}");
            }
            found.Damaged.Add(key);
            found.Notes.Add($"{key} {problem}");
        }
        // A repair reads a damaged file as far as it goes, and so a file the state has no record of
        // (a store saved by an older version, or a damaged state), since nothing says it is whole.
        bool Lenient(string name) => repair && (state.Files?.ContainsKey(StoreCommit.Key(name)) != true || found.Damaged.Contains(StoreCommit.Key(name)));

        var rows = ReadRows(Path.Combine(folder, StoreLayout.PrivateTable), Lenient(StoreLayout.PrivateTable), found);
        var deleted = ReadDeleted(Path.Combine(folder, StoreLayout.DeletedTable), Lenient(StoreLayout.DeletedTable), found);
        if (found.Damaged.Contains(StoreCommit.Key(StoreLayout.DeletedTable)))
        {
            found.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{StoreCommit.Key(StoreLayout.DeletedTable)}: {deleted.Count:N0} ids kept; deletions listed in its damaged part cannot be found again from the source (restore the file from a backup to keep them)"));
        }
        // An id listed as deleted and present in the private table came back (a store saved by an older version could hold both).
        foreach (var id in deleted.Keys.Where(rows.ContainsKey).ToList())
        {
            deleted.Remove(id);
        }
        if (Lenient(StoreLayout.PrivateTable))
        {
            found.Lost.UnionWith(PublicIds(Path.Combine(folder, StoreLayout.PublicTable)).Where(id => !rows.ContainsKey(id) && !deleted.ContainsKey(id)));
            if (found.Lost.Count > 0)
            {
                found.Notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{StoreCommit.Key(StoreLayout.PrivateTable)}: {found.Lost.Count:N0} ids known only from {StoreCommit.Key(StoreLayout.PublicTable)} are fetched again or, if gone from the source, listed as deleted"));
            }
        }
        ReadRunLog(Path.Combine(folder, StoreLayout.RunLogFile), Lenient(StoreLayout.RunLogFile), found);
        return new IssueStore(folder, rows, deleted, state, found);
    }

    /// <summary>The issue with <paramref name="id"/> as the private table holds it, or null.</summary>
    public ServiceRequest? Find(long id) =>
        _rows.TryGetValue(id, out var values) ? FlatIssue.FromValues(FlatIssue.PrivateColumns, values, $"{StoreLayout.PrivateTable} id {id}") : null;

    /// <summary>The private table's rows (values of <see cref="FlatIssue.PrivateColumns"/>), sorted by id.</summary>
    public IEnumerable<IReadOnlyList<string?>> Rows() => Sorted();

    /// <summary>
    /// Merges <paramref name="issue"/> by id. The copy with the later <c>updated_at</c> wins (an
    /// equal one replaces the stored copy when its values differ), except that a stored
    /// <c>updated_at</c> after <paramref name="now"/> is not believed (the source got a date wrong,
    /// such as 2099), so the fetched copy replaces it. With <paramref name="byContent"/> (a full
    /// run, which reads the whole source as it is now) the fetched copy wins whenever its values
    /// differ, whatever the timestamps say.
    /// </summary>
    public StoreChange Upsert(ServiceRequest issue, DateTimeOffset? now = null, bool byContent = false)
    {
        ArgumentNullException.ThrowIfNull(issue);
        var values = FlatIssue.ToValues(issue, FlatIssue.PrivateColumns);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is { Length: 0 })
            {
                values[i] = null;
            }
        }
        _deleted.Remove(issue.Id);
        _lost.Remove(issue.Id);
        if (!_rows.TryGetValue(issue.Id, out var stored))
        {
            _rows[issue.Id] = values;
            return StoreChange.Inserted;
        }
        if (stored.AsSpan().SequenceEqual(values))
        {
            return StoreChange.Unchanged;
        }
        var storedAt = FlatIssue.ParseTimestamp(stored[UpdatedAtColumn]!);
        if (!byContent && storedAt > issue.UpdatedAt && (now is null || storedAt <= now))
        {
            return StoreChange.Unchanged;
        }
        _rows[issue.Id] = values;
        return StoreChange.Updated;
    }

    /// <summary>Removes <paramref name="id"/> (or forgets an id known only from a repair) and lists it in <c>deleted.csv</c> as deleted at <paramref name="when"/>.</summary>
    public bool Remove(long id, DateTimeOffset when)
    {
        if (!_rows.Remove(id) && !_lost.Remove(id))
        {
            return false;
        }
        _deleted[id] = when.ToString(FlatIssue.TimestampFormat, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// Saves the whole store as one generation: the private table, the public export built from it
    /// with <paramref name="redaction"/> (CSV, portal JSON, its Parquet copy, deleted ids), the run log with
    /// <paramref name="runLine"/> appended when given, and <paramref name="state"/> (default: the
    /// current one). Crash-consistent as a whole (<see cref="StoreCommit"/>).
    /// </summary>
    /// <exception cref="ServiceRequestsException">The save failed (a full disk, no permission); the store is as it was, or the next open finishes the save.</exception>
    public void Save(SyncState? state = null, string? runLine = null, PublicRedaction? redaction = null) =>
        Save(state, runLine, Export(redaction));

    /// <summary>
    /// Saves the whole store as one generation with <paramref name="export"/> (from
    /// <see cref="Export"/>) as its public export; otherwise as the other overload.
    /// </summary>
    /// <exception cref="ServiceRequestsException">The save failed; the store is as it was, or the next open finishes the save.</exception>
    internal void Save(SyncState? state, string? runLine, PublicExport export)
    {
        var publicRows = export.Rows;
        // Files are renamed into place in this order: the deleted ids before the public rows, so that
        // a publish reading the folder mid-rename deletes an issue rather than miss its deletion.
        Commit(state ?? State, runLine,
        [
            PrivateTable(export.Sorted),
            DeletedTable(),
            new(StoreLayout.PublicTable, publicRows.Length, s => IssueCsv.Write(s, IssueCsv.PublicColumns, IssueCsv.PublicText, publicRows.Select(IssueCsv.PublicValues))),
            new(StoreLayout.PublicJson, publicRows.Length, s => PortalJson.Write(publicRows, s)),
            new(StoreLayout.PublicParquet, publicRows.Length, s => PortalParquet.Write(publicRows, s)),
        ]);
    }

    /// <summary>
    /// The private rows in id order and the public table's rows built from them, redacted with
    /// <paramref name="redaction"/>, with council district and neighborhood filled by
    /// <paramref name="places"/> (which counts them afresh). Taken before a save, so a run line can
    /// carry the counts; the save writes both without sorting again.
    /// </summary>
    internal PublicExport Export(PublicRedaction? redaction = null, IssuePlaces? places = null)
    {
        redaction ??= PublicRedaction.Default;
        places?.Reset();
        var sorted = Sorted();
        return new(sorted, Array.ConvertAll(sorted, v =>
        {
            var issue = FlatIssue.FromValues(FlatIssue.PrivateColumns, v, $"{StoreLayout.PrivateTable} id {v[0]}");
            var (district, neighborhood) = places?.Of(issue.Lat, issue.Lng) ?? default;
            return PortalRow.From(issue, redaction, null, neighborhood, district);
        }));
    }

    /// <summary>The store's rows in id order and the public rows built from them (<see cref="Export"/>).</summary>
    internal sealed record PublicExport(string?[][] Sorted, PortalRow[] Rows);

    /// <summary>
    /// Saves progress as one generation: the private table and the deleted ids (always together, so
    /// an issue never leaves the table without its deletion being listed), <paramref name="state"/>
    /// (with the resume point) and, when given, <paramref name="runLine"/>. The rest of the public
    /// export stays as the last finished run left it.
    /// </summary>
    /// <exception cref="ServiceRequestsException">The save failed; the store is as it was, or the next open finishes the save.</exception>
    internal void SaveProgress(SyncState state, string? runLine = null) => Commit(state, runLine, [PrivateTable(Sorted()), DeletedTable()]);

    /// <summary>Saves only <paramref name="runLine"/> appended to the run log, with <paramref name="state"/> (a run that changed no data).</summary>
    /// <exception cref="ServiceRequestsException">The save failed; the store is as it was.</exception>
    internal void SaveRunLine(SyncState state, string runLine) => Commit(state, runLine, []);

    private static StoreFileWrite PrivateTable(string?[][] sorted) =>
        new(StoreLayout.PrivateTable, sorted.Length, s => IssueCsv.Write(s, FlatIssue.PrivateColumns, IssueCsv.PrivateTextColumns, sorted), OwnerOnly: true);

    private StoreFileWrite DeletedTable() =>
        new(StoreLayout.DeletedTable, _deleted.Count, s => IssueCsv.Write(s, DeletedColumns, [false, false],
            _deleted.Select(d => new string?[] { d.Key.ToString(CultureInfo.InvariantCulture), d.Value })));

    /// <summary>Commits <paramref name="files"/> (and the run log, when a line is added or it was damaged) with <paramref name="state"/>.</summary>
    private void Commit(SyncState state, string? runLine, List<StoreFileWrite> files)
    {
        // The run log is free of credentials in every form (an error message may quote a server that echoed them).
        runLine = runLine is null ? null : Secrets.Scrub(runLine);
        var log = runLine is null ? _runLog : [.. _runLog, runLine];
        if (runLine is not null || _damaged.Contains(StoreCommit.Key(StoreLayout.RunLogFile)))
        {
            files.Add(new(StoreLayout.RunLogFile, log.Count, s =>
            {
                using var writer = new StreamWriter(s, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
                foreach (var line in log)
                {
                    writer.WriteLine(line);
                }
            }));
        }
        try
        {
            State = StoreCommit.Commit(Folder, state, files, _damaged);
        }
        catch (ServiceRequestsException)
        {
            // Read back what the failed save left (the previous generation, or the new one if the
            // commit happened before the failure) and finish it, so the next save builds on the disk.
            try
            {
                var onDisk = SyncState.Load(Path.Combine(Folder, StoreLayout.StateFile));
                StoreCommit.Recover(Folder, onDisk);
                State = State with { Generation = onDisk.Generation, Files = onDisk.Files };
            }
            catch (ServiceRequestsException)
            {
                // The save's own failure says what went wrong; the next run's open recovers.
            }
            throw;
        }
        if (runLine is not null)
        {
            _runLog.Add(runLine);
        }
        foreach (var file in files)
        {
            _damaged.Remove(StoreCommit.Key(file.Name));
        }
        _damaged.Remove(StoreCommit.Key(StoreLayout.StateFile));
    }

    /// <summary>The rows in id order.</summary>
    private string?[][] Sorted()
    {
        var ids = new long[_rows.Count];
        var rows = new string?[_rows.Count][];
        var i = 0;
        foreach (var (id, values) in _rows)
        {
            ids[i] = id;
            rows[i++] = values;
        }
        Array.Sort(ids, rows);
        return rows;
    }
}
