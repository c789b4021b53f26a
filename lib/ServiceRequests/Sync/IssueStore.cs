using System.Globalization;
using System.Text;
using ServiceRequests.Geo;
using ServiceRequests.IO;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix;
using ServiceRequests.SeeClickFix.Model;
using ServiceRequests.Socrata;

namespace ServiceRequests.Sync;

/// <summary>What an upsert did to the store.</summary>
internal enum StoreChange
{
    /// <summary>A new id.</summary>
    Inserted,
    /// <summary>The id was there with other values; the newer issue replaced it.</summary>
    Updated,
    /// <summary>The id was there with the same values, or with a newer <c>updated_at</c> (the incoming copy was older and ignored).</summary>
    Unchanged,
}

/// <summary>
/// The local dataset in a folder: <c>private/issues.csv</c> (<see cref="FlatIssue.PrivateColumns"/>,
/// one row per id, sorted by id), the public export <c>public/issues.csv</c>,
/// <c>public/issues.json</c> with its columnar copy <c>public/issues.parquet</c>, and <c>public/deleted.csv</c> (built from <see cref="PortalRow"/>, an
/// allowlist, with <see cref="PublicRedaction"/>), <c>state.json</c> and the append-only run log
/// <c>runs.jsonl</c>. Every file is written atomically; the same content always gives the same bytes.
/// </summary>
internal sealed class IssueStore
{
    private const string Damaged = "Restore the file from a backup, or move it away and run a full sync.";
    private static readonly int UpdatedAtColumn = IndexOf("updated_at");
    private static readonly string[] DeletedColumns = ["id", "deleted_at"];
    private readonly Dictionary<long, string?[]> _rows;
    private readonly SortedDictionary<long, string> _deleted;

    private IssueStore(string folder, Dictionary<long, string?[]> rows, SortedDictionary<long, string> deleted, SyncState state)
    {
        Folder = folder;
        _rows = rows;
        _deleted = deleted;
        State = state;
    }

    /// <summary>The store's folder.</summary>
    public string Folder { get; }

    /// <summary>Issues in the store.</summary>
    public int Count => _rows.Count;

    /// <summary>The high-water mark of the last finished sync (null before the first).</summary>
    public DateTimeOffset? Watermark => State.Watermark;

    /// <summary>The ids in the store.</summary>
    public IReadOnlyCollection<long> Ids => _rows.Keys;

    /// <summary>Ids listed as deleted from the source, with when that was found.</summary>
    public IReadOnlyDictionary<long, string> Deleted => _deleted;

    internal SyncState State { get; set; }

    /// <summary>Opens the store in <paramref name="folder"/> (empty when nothing is there yet).</summary>
    /// <exception cref="ServiceRequestsException">A store file is damaged or not the store's; the message names the file and line.</exception>
    public static IssueStore Open(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        folder = Path.GetFullPath(folder);
        var rows = new Dictionary<long, string?[]>();
        var table = Path.Combine(folder, StoreLayout.PrivateTable);
        if (File.Exists(table))
        {
            var line = 1;
            foreach (var values in IssueCsv.Read(table, FlatIssue.PrivateColumns, IssueCsv.PrivateTextColumns))
            {
                line++;
                if (!long.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) || !rows.TryAdd(id, values))
                {
                    throw new ServiceRequestsException($"{table}, record {line - 1}: the id '{values[0]}' is missing, not a number or repeated. {Damaged}");
                }
                if (values[UpdatedAtColumn] is not { } updated || !DateTimeOffset.TryParse(updated, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    throw new ServiceRequestsException($"{table}, record {line - 1} (id {id}): updated_at '{values[UpdatedAtColumn]}' is not a timestamp. {Damaged}");
                }
            }
        }
        var deleted = new SortedDictionary<long, string>();
        var deletedPath = Path.Combine(folder, StoreLayout.DeletedTable);
        if (File.Exists(deletedPath))
        {
            foreach (var values in IssueCsv.Read(deletedPath, DeletedColumns, [false, false]))
            {
                if (!long.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                {
                    throw new ServiceRequestsException($"{deletedPath}: the id '{values[0]}' is not a number.");
                }
                deleted[id] = values[1] ?? "";
            }
        }
        return new IssueStore(folder, rows, deleted, SyncState.Load(Path.Combine(folder, StoreLayout.StateFile)));
    }

    /// <summary>The issue with <paramref name="id"/> as the private table holds it, or null.</summary>
    public ServiceRequest? Find(long id) =>
        _rows.TryGetValue(id, out var values) ? FlatIssue.FromValues(FlatIssue.PrivateColumns, values, $"{StoreLayout.PrivateTable} id {id}") : null;

    /// <summary>The private table's rows (values of <see cref="FlatIssue.PrivateColumns"/>), sorted by id.</summary>
    public IEnumerable<IReadOnlyList<string?>> Rows() => Sorted();

    /// <summary>Merges <paramref name="issue"/> by id: the copy with the later <c>updated_at</c> wins; an equal one replaces the stored copy when its values differ.</summary>
    public StoreChange Upsert(ServiceRequest issue)
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
        if (!_rows.TryGetValue(issue.Id, out var stored))
        {
            _rows[issue.Id] = values;
            return StoreChange.Inserted;
        }
        if (FlatIssue.ParseTimestamp(stored[UpdatedAtColumn]!) > issue.UpdatedAt || stored.AsSpan().SequenceEqual(values))
        {
            return StoreChange.Unchanged;
        }
        _rows[issue.Id] = values;
        return StoreChange.Updated;
    }

    /// <summary>Removes <paramref name="id"/> and lists it in <c>deleted.csv</c> as deleted at <paramref name="when"/>.</summary>
    public bool Remove(long id, DateTimeOffset when)
    {
        if (!_rows.Remove(id))
        {
            return false;
        }
        _deleted[id] = when.ToString(FlatIssue.TimestampFormat, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Writes only the private table (a checkpoint during a long run).</summary>
    internal void SavePrivate() =>
        AtomicFile.Write(Path.Combine(Folder, StoreLayout.PrivateTable), s => IssueCsv.Write(s, FlatIssue.PrivateColumns, IssueCsv.PrivateTextColumns, Sorted()));

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

    /// <summary>
    /// Writes the private table, then the public export (CSV, portal JSON, its Parquet copy, deleted ids) built from
    /// it with <paramref name="redaction"/>, council district and neighborhood filled by
    /// <paramref name="places"/> (which counts them). The state is saved separately, after the data.
    /// </summary>
    internal void Save(PublicRedaction? redaction = null, IssuePlaces? places = null)
    {
        redaction ??= PublicRedaction.Default;
        SavePrivate();
        var sorted = Sorted();
        places?.Reset();
        var rows = Array.ConvertAll(sorted, v =>
        {
            var issue = FlatIssue.FromValues(FlatIssue.PrivateColumns, v, $"{StoreLayout.PrivateTable} id {v[0]}");
            var (district, neighborhood) = places?.Of(issue.Lat, issue.Lng) ?? default;
            return PortalRow.From(issue, redaction, null, neighborhood, district);
        });
        AtomicFile.Write(Path.Combine(Folder, StoreLayout.PublicTable), s => IssueCsv.Write(s, IssueCsv.PublicColumns, IssueCsv.PublicText, rows.Select(IssueCsv.PublicValues)));
        PortalJson.WriteFile(rows, Path.Combine(Folder, StoreLayout.PublicJson));
        AtomicFile.Write(Path.Combine(Folder, StoreLayout.PublicParquet), s => PortalParquet.Write(rows, s));
        AtomicFile.Write(Path.Combine(Folder, StoreLayout.DeletedTable), s => IssueCsv.Write(s, DeletedColumns, [false, false],
            _deleted.Select(d => new string?[] { d.Key.ToString(CultureInfo.InvariantCulture), d.Value })));
    }

    /// <summary>Writes <c>state.json</c>.</summary>
    internal void SaveState() => State.Save(Path.Combine(Folder, StoreLayout.StateFile));

    /// <summary>Appends one line to <c>runs.jsonl</c> (the whole log is rewritten atomically).</summary>
    internal void AppendRun(string jsonLine)
    {
        var path = Path.Combine(Folder, StoreLayout.RunLogFile);
        var previous = File.Exists(path) ? Files.Read(path, () => File.ReadAllText(path, Encoding.UTF8)) : "";
        if (previous.Length > 0 && !previous.EndsWith('\n'))
        {
            previous += "\n";
        }
        AtomicFile.WriteAllText(path, previous + jsonLine + "\n");
    }

    private static int IndexOf(string column)
    {
        for (var i = 0; i < FlatIssue.PrivateColumns.Count; i++)
        {
            if (FlatIssue.PrivateColumns[i] == column)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"No private column {column}.");
    }
}
