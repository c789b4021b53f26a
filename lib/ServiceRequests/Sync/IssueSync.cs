using System.Globalization;
using System.Text;
using System.Text.Json;
using ServiceRequests.Geo;
using ServiceRequests.Http;
using ServiceRequests.IO;
using ServiceRequests.SeeClickFix;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Sync;

/// <summary>
/// Keeps an <see cref="IssueStore"/> equal to a SeeClickFix issues list while fetching only what
/// changed. Every request asks for all four statuses sorted by <c>updated_at</c> ascending. An
/// incremental run starts from the high-water mark minus <see cref="SyncOptions.Overlap"/>; a full
/// run (the first run of a store, or when asked) from the beginning, and afterwards removes the
/// issues it did not see (deleted at the source) and lists them in <c>public/deleted.csv</c>.
/// Paging is by key: after each page the next request starts again at page 1 from that page's
/// latest <c>updated_at</c> (minus a second), so issues that move while paging are never skipped;
/// the <c>next_page_url</c> is followed only when a whole page shares that second. Issues merge by
/// id (<see cref="IssueStore.Upsert"/>: newer <c>updated_at</c> wins, a date after the run's start
/// is not believed, a full run reconciles by content). Every save is one crash-consistent
/// generation (<see cref="StoreCommit"/>); progress is checkpointed, so a run that is killed
/// resumes, and a re-run with no change leaves the data files byte-identical. A full run also
/// repairs store files damaged since the last save, which any other run refuses. The public
/// export's <c>council_district</c> and <c>neighborhood</c> come from each issue's coordinates
/// (<see cref="SyncOptions.Districts"/>, <see cref="SyncOptions.Neighborhoods"/>); the run counts
/// the issues placed, outside every district, and without coordinates.
/// </summary>
internal sealed class IssueSync
{
    private readonly SeeClickFixClient _client;
    private readonly IssueQuery _source;
    private readonly SyncOptions _options;

    /// <summary>Creates a sync of <paramref name="source"/> (its place or organization and request types; ordering and statuses are the sync's own).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public IssueSync(SeeClickFixClient client, IssueQuery source, SyncOptions? options = null)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentNullException.ThrowIfNull(source);
        _options = options ?? new SyncOptions();
        _options.Validate();
        _source = source with
        {
            Statuses = [IssueStatus.Open, IssueStatus.Acknowledged, IssueStatus.Closed, IssueStatus.Archived],
            SortByUpdated = true,
            Ascending = true,
            UpdatedAfter = null,
            UpdatedBefore = null,
            Details = _options.Details,
        };
        _source.ToUri(client.ApiRoot);
    }

    /// <summary>
    /// What the store records as its source: the API root, the place or organization, and whether
    /// with details (without them the closing comments are empty, so the two are never mixed in one store).
    /// </summary>
    public string SourceName => $"{SafeUri.Of(_client.ApiRoot)} {_source.Source}{(_source.Details ? " with details" : "")}";

    /// <summary>
    /// Runs a sync into the store in <paramref name="folder"/>: resumes an unfinished run, else a
    /// full run when <paramref name="full"/> or the store has never finished one, else an
    /// incremental run. Appends the outcome to <c>runs.jsonl</c> whether it succeeds or not.
    /// </summary>
    /// <exception cref="ServiceRequestsException">Another sync is running on the store, the store folder cannot be made or written, the store was synced from another source, a store file was damaged (a full run repairs it), or a full run saw no issue at all while the store has some.</exception>
    /// <exception cref="SeeClickFixException">The API refused a request.</exception>
    /// <exception cref="ServiceRequestsException">The API could not be reached after the retries.</exception>
    /// <exception cref="ServiceRequestsException">A page or a store file is malformed; the message names it.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; progress so far is saved and the next run resumes.</exception>
    public async Task<SyncReport> RunAsync(string folder, bool full = false, IProgress<SyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var time = _options.Time;
        var started = time.GetUtcNow();
        var clock = time.GetTimestamp();
        using var exclusive = Lock(folder);
        // A full run fetches everything again, so it may repair damaged store files; any other run refuses them.
        var store = IssueStore.Open(folder, repair: full);
        if (store.State.Source is { } stored && stored != SourceName)
        {
            throw new ServiceRequestsException(
                $"The store in '{store.Folder}' is synced from {stored}, not {SourceName}. Use another store folder for another source.");
        }
        var opened = store.State;
        var resume = store.State.InProgress;
        if (resume is not null && ((full && !resume.Full) || store.Repairs.Count > 0))
        {
            // A repair starts over: the rows fetched before the resume point may be what was damaged.
            resume = null;
        }
        // A high-water mark after this run's start was set by a clock that ran ahead: only a full run can set it right.
        var trusted = store.State.Watermark is { } mark && mark <= started ? mark : (DateTimeOffset?)null;
        var isFull = resume?.Full ?? (full || trusted is null);
        var run = resume ?? new SyncState.Progress
        {
            Full = isFull,
            Signpost = started,
            Cursor = isFull ? null : store.State.Watermark - _options.Overlap,
            Seen = isFull ? [] : null,
        };
        var seen = isFull ? new HashSet<long>(run.Seen ?? []) : null;
        var requestsBefore = _client.RequestsSent;
        int pages = 0;
        long fetched = 0, inserted = 0, updated = 0, unchanged = 0, deleted = 0;
        var cursor = run.Cursor;
        var maxSeen = run.MaxSeen;
        var lastCheckpoint = clock;

        void Checkpoint(string? runLine = null)
        {
            store.SaveProgress(store.State with { Source = SourceName, InProgress = run with { Cursor = cursor, MaxSeen = maxSeen, Seen = seen?.Order().ToList() } }, runLine);
            lastCheckpoint = time.GetTimestamp();
        }

        string Record(string outcome, string? error, DateTimeOffset? watermark, IssuePlaces? places = null) =>
            RunLine(started, time.GetUtcNow(), outcome, error, isFull, resume is not null, pages, _client.RequestsSent - requestsBefore,
                fetched, inserted, updated, unchanged, deleted, store.Count, watermark, store.Repairs, places);

        try
        {
            var address = _source with { UpdatedAfter = cursor };
            var next = address.ToUri(_client.ApiRoot, 1);
            var pageNumber = 1;
            while (true)
            {
                var page = await _client.GetPageAsync(next, pageNumber, _source.Organization is not null, cancellationToken).ConfigureAwait(false);
                pages++;
                DateTimeOffset? pageMax = null;
                foreach (var issue in page.Issues)
                {
                    fetched++;
                    switch (store.Upsert(issue, started, byContent: isFull))
                    {
                        case StoreChange.Inserted: inserted++; break;
                        case StoreChange.Updated: updated++; break;
                        default: unchanged++; break;
                    }
                    seen?.Add(issue.Id);
                    if (pageMax is null || issue.UpdatedAt > pageMax)
                    {
                        pageMax = issue.UpdatedAt;
                    }
                }
                if (pageMax is { } pm && (maxSeen is null || pm > maxSeen))
                {
                    maxSeen = pm;
                }
                var elapsed = time.GetElapsedTime(clock);
                var pagesLeft = (page.Remaining + page.PerPage - 1) / page.PerPage;
                progress?.Report(new SyncProgress(isFull, pages, _client.RequestsSent - requestsBefore, fetched, page.Remaining, elapsed,
                    pagesLeft * _client.RequestInterval));
                if (page.NextPageUrl is null)
                {
                    break;
                }
                // Restart by key from the page's latest second; within one crowded second, follow the pages.
                var restart = pageMax is { } max ? WholeSeconds(max).AddSeconds(-1) : (DateTimeOffset?)null;
                if (restart is { } r && (cursor is null || r > cursor))
                {
                    cursor = r;
                    next = (_source with { UpdatedAfter = cursor }).ToUri(_client.ApiRoot, 1);
                    pageNumber = 1;
                }
                else
                {
                    next = page.NextPageUrl;
                    pageNumber = page.Page + 1;
                }
                if (time.GetElapsedTime(lastCheckpoint) >= _options.CheckpointInterval)
                {
                    Checkpoint();
                }
            }

            var now = time.GetUtcNow();
            if (seen is not null)
            {
                if (seen.Count == 0 && store.Count > 0)
                {
                    throw new ServiceRequestsException(
                        $"The full sync saw no issue at all from {SourceName}, but the store holds {store.Count:N0}: refusing to mark them all deleted. Check the place or organization and the site's address.");
                }
                foreach (var id in store.KnownIds.Where(id => !seen.Contains(id)).ToList())
                {
                    if (store.Remove(id, now))
                    {
                        deleted++;
                    }
                }
            }
            // One bad row cannot push the mark past the run's start (the signpost).
            var watermark = Max(trusted, Min(maxSeen, run.Signpost));
            var places = new IssuePlaces(_options.Districts, _options.Neighborhoods);
            var export = store.Export(_options.Redaction, places);
            store.Save(store.State with { Source = SourceName, Watermark = watermark, InProgress = null, LastFull = isFull ? now : store.State.LastFull },
                Record("success", null, watermark, places), export);
            return new SyncReport(isFull, resume is not null, pages, _client.RequestsSent - requestsBefore, fetched, inserted, updated, unchanged,
                deleted, store.Count, watermark, time.GetElapsedTime(clock), store.Repairs)
            {
                InDistrict = places.InDistrict,
                OutsideDistricts = places.OutsideDistricts,
                WithoutCoordinates = places.WithoutCoordinates,
                InNeighborhood = places.HasNeighborhoods ? places.InNeighborhood : null,
            };
        }
        catch (Exception e)
        {
            var cancelled = e is OperationCanceledException;
            var line = Record(cancelled ? "cancelled" : "failed", cancelled ? null : Secrets.Scrub(e.Message), store.State.Watermark);
            try
            {
                if (pages > 0)
                {
                    // Keep what was fetched, with the resume point.
                    Checkpoint(line);
                }
                else
                {
                    // A run that fetched nothing leaves the data as it was (and records no source): only its line is added.
                    store.SaveRunLine(opened, line);
                }
            }
            catch (ServiceRequestsException saveError)
            {
                throw new ServiceRequestsException($"{e.Message} Saving the progress also failed: {saveError.Message}", e);
            }
            throw;
        }
    }

    /// <summary>Holds the store's lock file for the run, so two syncs never write one store at once.</summary>
    /// <exception cref="ServiceRequestsException">Another sync holds the lock, or the store folder cannot be made or written; the message says which.</exception>
    private static FileStream Lock(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var store = Path.GetFullPath(folder);
        if (File.Exists(store))
        {
            throw new ServiceRequestsException($"'{store}' is a file; the store must be a folder (a new one, or one a sync made).");
        }
        try
        {
            Directory.CreateDirectory(store);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceRequestsException($"Cannot create the store folder '{store}': {e.Message}", e);
        }
        var path = Path.Combine(store, StoreLayout.LockFile);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException e) when (HeldByAnother(e))
        {
            throw new ServiceRequestsException($"Another sync is running on '{store}' (it holds {StoreLayout.LockFile}); wait for it to finish.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceRequestsException($"The store folder '{store}' cannot be written: opening the lock file '{path}' failed ({e.Message}).", e);
        }
    }

    /// <summary>
    /// Whether opening the lock failed because another process holds it: <c>flock</c>'s
    /// EWOULDBLOCK on Unix (11 on Linux, 35 on macOS and the BSDs), a sharing or lock violation
    /// on Windows. Any other failure (a read-only folder, no permission) is not a held lock.
    /// </summary>
    private static bool HeldByAnother(IOException e) =>
        OperatingSystem.IsWindows() ? (e.HResult & 0xFFFF) is 32 or 33 : e.HResult == (OperatingSystem.IsLinux() ? 11 : 35);

    private static DateTimeOffset WholeSeconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset b) => a is { } v && v < b ? v : a is null ? null : b;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string RunLine(DateTimeOffset started, DateTimeOffset ended, string outcome, string? error, bool full, bool resumed, int pages, int requests,
        long fetched, long inserted, long updated, long unchanged, long deleted, int total, DateTimeOffset? watermark, IReadOnlyList<string> repaired, IssuePlaces? places)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("start", started.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("end", ended.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("outcome", outcome);
            json.WriteString("mode", full ? "full" : "incremental");
            json.WriteBoolean("resumed", resumed);
            json.WriteNumber("pages", pages);
            json.WriteNumber("requests", requests);
            json.WriteNumber("issues_fetched", fetched);
            json.WriteNumber("inserted", inserted);
            json.WriteNumber("updated", updated);
            json.WriteNumber("unchanged", unchanged);
            json.WriteNumber("deleted", deleted);
            json.WriteNumber("errors", Math.Max(0, requests - pages) + (outcome == "failed" && requests == pages ? 1 : 0));
            json.WriteNumber("total", total);
            if (places is not null)
            {
                json.WriteNumber("in_district", places.InDistrict);
                json.WriteNumber("outside_districts", places.OutsideDistricts);
                json.WriteNumber("no_coordinates", places.WithoutCoordinates);
                if (places.HasNeighborhoods)
                {
                    json.WriteNumber("in_neighborhood", places.InNeighborhood);
                }
            }
            if (watermark is { } w)
            {
                json.WriteString("updated_at", w.UtcDateTime.ToString(IssueQuery.FilterTimeFormat, CultureInfo.InvariantCulture));
            }
            if (error is not null)
            {
                json.WriteString("error", error);
            }
            if (repaired.Count > 0)
            {
                json.WriteStartArray("repaired");
                foreach (var note in repaired)
                {
                    json.WriteStringValue(note);
                }
                json.WriteEndArray();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
