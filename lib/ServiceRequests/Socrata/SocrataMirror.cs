using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Analysis;
using ServiceRequests.IO;
using ServiceRequests.Portal;

namespace ServiceRequests.Socrata;

/// <summary>What one <see cref="SocrataMirror.RefreshAsync"/> did.</summary>
/// <param name="Frame">The whole kept copy after the refresh, in the portal shape.</param>
/// <param name="Full">Whether every row was downloaded (first run, another source, periodic or asked-for full refresh).</param>
/// <param name="RowsFetched">Rows downloaded in this refresh.</param>
/// <param name="Cursor">The newest <c>:updated_at</c> seen so far; the next refresh asks for changes after it (less the lookback).</param>
/// <param name="Reason">Why the refresh was full or incremental, in words.</param>
internal sealed record MirrorRefresh(DataFrame Frame, bool Full, long RowsFetched, DateTimeOffset? Cursor, string Reason);

/// <summary>
/// A local copy of a Socrata dataset (in the portal shape) kept current by fetching only the rows
/// the portal changed since the last refresh (<c>$select=:*, *</c>,
/// <c>$where=:updated_at &gt; '...'</c>, ordered by <c>:updated_at, :id</c>), merged by <c>id</c>:
/// a fetched row replaces the kept row with the same id. The copy (<c>rows-*.parquet</c>, the
/// columnar copy that DuckDB and pandas read too; a <c>rows-*.json.gz</c> copy of an earlier
/// version is still read, and replaced at the next save) and its
/// state (<c>state.json</c>: source, cursor, last full refresh) are each written atomically, the
/// copy first, so a crash leaves the previous consistent pair. Rows deleted on the portal do not
/// change <c>:updated_at</c>; a full refresh (every <see cref="FullRefreshAfter"/>, default 7 days)
/// drops them. Use one folder per source.
/// </summary>
internal sealed class SocrataMirror
{
    /// <summary>The name of the state file in the folder.</summary>
    public const string StateFileName = "state.json";

    private const string DataPrefix = "rows-";
    private const string DataSuffix = ".parquet";
    private readonly SocrataClient _client;
    private readonly string _datasetId;
    private readonly SoqlQuery _filter;
    private readonly string _source;

    /// <summary>Creates a mirror of <paramref name="datasetId"/> (rows matching <paramref name="filter"/>) kept in <paramref name="folder"/>.</summary>
    /// <param name="client">The portal's client.</param>
    /// <param name="datasetId">The dataset's 4x4 id.</param>
    /// <param name="folder">Where the copy and its state live (created when missing).</param>
    /// <param name="filter">Which rows to keep: only <c>$where</c> and <c>$q</c>; a copy holds whole rows in the portal shape.</param>
    /// <exception cref="ServiceRequestsException">The filter has <c>$select</c>, <c>$order</c>, <c>$limit</c> or <c>$offset</c>.</exception>
    /// <exception cref="ArgumentException">The id is not a 4x4 id.</exception>
    public SocrataMirror(SocrataClient client, string datasetId, string folder, SoqlQuery? filter = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        _filter = filter ?? new SoqlQuery();
        if (_filter.Select is not null || _filter.Order is not null || _filter.Limit is not null || _filter.Offset is not null)
        {
            throw new ServiceRequestsException($"A kept copy holds whole rows: filter it with $where or $q only (got {_filter}).");
        }
        _datasetId = datasetId;
        _source = client.ResourceUri(datasetId) + (_filter.ToQueryString() is { Length: > 0 } q ? "?" + q : "");
        Folder = Path.GetFullPath(folder);
    }

    /// <summary>The folder of the copy and its state.</summary>
    public string Folder { get; }

    /// <summary>How far before the cursor an incremental refresh starts, to catch late-committed changes (default 1 hour; re-read rows are harmless).</summary>
    public TimeSpan Lookback { get; init; } = TimeSpan.FromHours(1);

    /// <summary>After how long since the last full refresh the next one is full again, to drop rows deleted on the portal (default 7 days).</summary>
    public TimeSpan FullRefreshAfter { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Brings the copy up to date: downloads everything on the first run (or when
    /// <paramref name="full"/>, the source changed, the copy is unreadable or the last full
    /// refresh is older than <see cref="FullRefreshAfter"/>), else only rows changed since the
    /// cursor; merges, saves, and returns the whole copy.
    /// </summary>
    /// <exception cref="SocrataException">The portal refused a request.</exception>
    /// <exception cref="ServiceRequestsException">The portal could not be reached after the retries.</exception>
    /// <exception cref="ServiceRequestsException">The portal sent rows that do not fit the portal shape.</exception>
    /// <exception cref="ServiceRequestsException">The folder cannot be written.</exception>
    public async Task<MirrorRefresh> RefreshAsync(bool full = false, CancellationToken cancellationToken = default)
    {
        var now = DateTimeOffset.UtcNow;
        var (state, reason) = full ? (null, "a full refresh was asked for") : ReadState(now);
        DataFrame? kept = null;
        if (state is not null)
        {
            try
            {
                kept = PortalFile.Load(Path.Combine(Folder, state.Data), cancellationToken: CancellationToken.None);
                reason = $"changes since {state.Cursor:yyyy-MM-dd HH:mm:ss}Z (less {Lookback.TotalMinutes:0} min)";
            }
            catch (Exception e) when (e is ServiceRequestsException or IOException or InvalidDataException)
            {
                (state, reason) = (null, $"the kept copy could not be read ({e.Message})");
            }
        }
        var since = state?.Cursor - Lookback;
        var changes = await _client.LoadChangesAsync(_datasetId, _filter, since, PortalSchema.FrameColumns, cancellationToken).ConfigureAwait(false);
        var fetched = changes.Rows.Count;
        var cursor = Newest((StringDataFrameColumn)changes[SocrataClient.SystemUpdatedAt]) is { } newest && (state?.Cursor is not { } old || newest > old)
            ? newest
            : state?.Cursor;
        changes.Columns.Remove(SocrataClient.SystemUpdatedAt);
        changes.Columns.Remove(SocrataClient.SystemId);
        changes = LastPerId(changes);
        _client.Options.Log?.Invoke($"{_source}: {fetched:N0} rows fetched ({reason}).");
        if (kept is not null && state is not null)
        {
            if (fetched > 0)
            {
                kept = Merge(kept, changes);
                Save(kept, new State(_source, cursor, state.FullAt, "", kept.Rows.Count));
            }
            return new MirrorRefresh(kept, false, fetched, cursor, reason);
        }
        Save(changes, new State(_source, cursor, now, "", changes.Rows.Count));
        return new MirrorRefresh(changes, true, fetched, cursor, reason);
    }

    private sealed record State(string Source, DateTimeOffset? Cursor, DateTimeOffset FullAt, string Data, long Rows);

    private (State? State, string Reason) ReadState(DateTimeOffset now)
    {
        var path = Path.Combine(Folder, StateFileName);
        if (!File.Exists(path))
        {
            return (null, "there is no kept copy yet");
        }
        State state;
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = json.RootElement;
            state = new State(
                root.GetProperty("source").GetString() ?? "",
                root.GetProperty("cursor").ValueKind == JsonValueKind.Null ? null : root.GetProperty("cursor").GetDateTimeOffset(),
                root.GetProperty("full_at").GetDateTimeOffset(),
                root.GetProperty("data").GetString() ?? "",
                root.GetProperty("rows").GetInt64());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IOException)
        {
            return (null, $"the state file '{path}' could not be read ({e.Message})");
        }
        if (state.Source != _source)
        {
            return (null, $"the kept copy is of another source ({state.Source})");
        }
        if (state.Cursor is null)
        {
            return (null, "the kept copy has no cursor yet (it was empty)");
        }
        if (now - state.FullAt >= FullRefreshAfter)
        {
            return (null, $"the last full refresh was {(now - state.FullAt).TotalDays:0.#} days ago");
        }
        if (Path.GetFileName(state.Data) != state.Data || !state.Data.StartsWith(DataPrefix, StringComparison.Ordinal))
        {
            return (null, $"the state file names an unexpected copy '{state.Data}'");
        }
        return (state, "");
    }

    private void Save(DataFrame frame, State state)
    {
        var data = $"{DataPrefix}{DateTime.UtcNow:yyyyMMdd'T'HHmmssfff}-{Guid.NewGuid().ToString("N")[..8]}{DataSuffix}";
        // The copy first, then the state naming it: a crash in between leaves the old, consistent pair.
        AtomicFile.Write(Path.Combine(Folder, data), stream => PortalParquet.Write(frame, stream));
        AtomicFile.Write(Path.Combine(Folder, StateFileName), stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            json.WriteStartObject();
            json.WriteString("source", state.Source);
            if (state.Cursor is { } cursor)
            {
                json.WriteString("cursor", cursor.UtcDateTime.ToString(Soql.FixedFormat, CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNull("cursor");
            }
            json.WriteString("full_at", state.FullAt.UtcDateTime.ToString(Soql.FixedFormat, CultureInfo.InvariantCulture));
            json.WriteString("data", data);
            json.WriteNumber("rows", state.Rows);
            json.WriteEndObject();
        });
        foreach (var old in Directory.EnumerateFiles(Folder, DataPrefix + "*"))
        {
            if (Path.GetFileName(old) != data && (old.EndsWith(DataSuffix, StringComparison.Ordinal) || old.EndsWith(".json.gz", StringComparison.Ordinal)))
            {
                File.Delete(old);
            }
        }
    }

    /// <summary>The newest instant in a column of Socrata fixed timestamps (<c>...Z</c>).</summary>
    private static DateTimeOffset? Newest(StringDataFrameColumn updatedAt)
    {
        DateTimeOffset? newest = null;
        foreach (var text in updatedAt)
        {
            if (text is null)
            {
                continue;
            }
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
            {
                throw new ServiceRequestsException($"The portal sent :updated_at '{text}', which is not a timestamp.");
            }
            if (newest is null || value > newest)
            {
                newest = value;
            }
        }
        return newest;
    }

    /// <summary>The frame with only the last row of each id (a row that changed during the pull comes twice; the later is newer).</summary>
    private static DataFrame LastPerId(DataFrame frame)
    {
        var ids = (StringDataFrameColumn)frame[PortalSchema.Id];
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        for (long i = 0; i < ids.Length; i++)
        {
            if (ids[i] is { } id)
            {
                last[id] = i;
            }
        }
        if (last.Count == ids.Length - ids.NullCount)
        {
            return frame;
        }
        var keep = new BooleanDataFrameColumn("keep", ids.Length);
        for (long i = 0; i < ids.Length; i++)
        {
            keep[i] = ids[i] is not { } id || last[id] == i;
        }
        return frame.Filter(keep);
    }

    /// <summary>The kept rows whose id was not fetched, then the fetched rows.</summary>
    private static DataFrame Merge(DataFrame kept, DataFrame fetched)
    {
        var fetchedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in (StringDataFrameColumn)fetched[PortalSchema.Id])
        {
            if (id is not null)
            {
                fetchedIds.Add(id);
            }
        }
        var ids = (StringDataFrameColumn)kept[PortalSchema.Id];
        var keep = new BooleanDataFrameColumn("keep", ids.Length);
        for (long i = 0; i < ids.Length; i++)
        {
            keep[i] = ids[i] is not { } id || !fetchedIds.Contains(id);
        }
        var merged = kept.Filter(keep);
        merged.Append(fetched.Rows, inPlace: true);
        return merged;
    }
}
