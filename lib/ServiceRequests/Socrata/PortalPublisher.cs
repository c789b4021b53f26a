using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using CsvHelper;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;
using ServiceRequests.IO;
using ServiceRequests.Portal;
using ServiceRequests.Sync;

namespace ServiceRequests.Socrata;

/// <summary>
/// Publishes the sync store's <b>public export</b> to a Socrata dataset whose row identifier is
/// <c>id</c>: upserts the rows of <c>{store}/public/issues.json</c> in batches, then deletes the
/// ids of <c>{store}/public/deleted.csv</c> (header <c>id,deleted_at</c>; optional) that are
/// still on the portal, as rows <c>{"id": "...", ":deleted": true}</c>. The whole file is checked
/// before anything is sent: every column must be a portal column (<see cref="PortalSchema"/>), so
/// the private table, whose columns hold reporters' data, can never be published; then the
/// dataset's row identifier must be <c>id</c>.
/// <para>
/// Only rows that changed since the portal last confirmed them are sent: <see cref="PublishRecord"/>
/// keeps a hash per id, written after the portal confirms a batch, so a failed or killed publish
/// sends its unconfirmed rows again. An upsert changes only the columns it names. A column the
/// store fills (every one but <see cref="StoreMayLeaveEmpty"/>) is always named, <c>null</c> when
/// the export has no value, so a value cleared in the export is cleared on the portal. A column in
/// <see cref="StoreMayLeaveEmpty"/> is named when the export has a value, or to clear the value
/// this store sent before; otherwise it is left out, so a value the portal got elsewhere is never
/// blanked. A batch is idempotent; a publish that failed part way is finished by running it again.
/// </para>
/// </summary>
internal sealed partial class PortalPublisher
{
    private const int IdsPerLookup = 100;

    /// <summary>
    /// Portal columns the store may have no value for although the portal has one from elsewhere
    /// (the city's GIS fills the neighborhood and council district): left out of an upsert unless
    /// the export has a value or this store sent one before.
    /// </summary>
    internal static readonly IReadOnlySet<string> StoreMayLeaveEmpty = new HashSet<string>(StringComparer.Ordinal)
    {
        PortalSchema.Neighborhood, PortalSchema.CouncilDistrict,
    };

    private static readonly int AlwaysNamed = PortalSchema.Columns
        .Select((c, i) => StoreMayLeaveEmpty.Contains(c.Name) ? 0 : 1 << i).Aggregate(0, (a, b) => a | b);

    private readonly int _batchSize = 10_000;
    private readonly SocrataClient _client;
    private readonly string _datasetId;
    private readonly HashSet<string> _portalColumns = new(PortalSchema.Columns.Select(c => c.Name), StringComparer.Ordinal);

    /// <summary>Creates a publisher to <paramref name="datasetId"/> on <paramref name="client"/>'s portal.</summary>
    /// <exception cref="ArgumentException">The id is not a 4x4 id.</exception>
    public PortalPublisher(SocrataClient client, string datasetId)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        client.ResourceUri(datasetId);
        _datasetId = datasetId;
    }

    /// <summary>Rows per upsert request (default 10,000; at most 50,000).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is not 1 to 50,000.</exception>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value is >= 1 and <= SocrataClientOptions.MaxPageSize
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"The batch size must be 1 to {SocrataClientOptions.MaxPageSize:N0}.");
    }

    /// <summary>
    /// Publishes the public export of the store in <paramref name="storeFolder"/>; with
    /// <paramref name="dryRun"/>, checks it and reports the batches without sending anything
    /// (no credentials needed).
    /// </summary>
    /// <param name="storeFolder">The sync store: the folder holding <c>public/</c>.</param>
    /// <param name="dryRun">Check and count only.</param>
    /// <param name="progress">Called after each batch.</param>
    /// <param name="everyRow">Send every row, as if nothing had been published (after the dataset was emptied or replaced on the portal).</param>
    /// <param name="cancellationToken">Stops between batches (a batch sent is complete or repeated by the next run).</param>
    /// <exception cref="ServiceRequestsException">
    /// The folder is the private table's (or the export's own), no credentials are set, or the
    /// portal reported errors for a batch (the message says which and what was already applied).
    /// </exception>
    /// <exception cref="ServiceRequestsException">There is no public export in the folder.</exception>
    /// <exception cref="ServiceRequestsException">The export is not the public export's shape; the message names the file, row and column. Nothing was sent.</exception>
    /// <exception cref="SocrataException">The portal refused a request.</exception>
    /// <exception cref="ServiceRequestsException">The portal could not be reached after the retries.</exception>
    public async Task<PublishReport> PublishAsync(string storeFolder, bool dryRun = false, Action<PublishBatch>? progress = null,
        bool everyRow = false, CancellationToken cancellationToken = default)
    {
        var (issuesPath, deletedPath) = Locate(storeFolder);
        var recordPath = PublishRecord.PathFor(Path.GetFullPath(storeFolder), _client.Portal, _datasetId);
        string? warning = null;
        var record = dryRun ? PublishRecord.Read(recordPath, out warning) : PublishRecord.Load(recordPath, out warning);
        if (everyRow)
        {
            record.ForgetAll(write: !dryRun);
        }
        var (rows, changed) = await CheckAsync(issuesPath, record, cancellationToken).ConfigureAwait(false);
        var deleted = deletedPath is null ? [] : ReadDeleted(deletedPath);
        var batches = new List<PublishBatch>();
        void Report(PublishBatch batch)
        {
            batches.Add(batch);
            progress?.Invoke(batch);
        }
        var upsertBatches = (changed.Count + BatchSize - 1) / BatchSize;
        if (dryRun)
        {
            for (var b = 1; b <= upsertBatches; b++)
            {
                Report(new PublishBatch(false, b, upsertBatches, Math.Min(BatchSize, changed.Count - (b - 1) * BatchSize), null, TimeSpan.Zero, null));
            }
            if (deleted.Count > 0)
            {
                Report(new PublishBatch(true, 1, 1, deleted.Count, null, TimeSpan.Zero, "ids of deleted.csv; only those still on the portal would be deleted"));
            }
            return new PublishReport(changed.Count, rows - changed.Count, deleted.Count, 0, true, batches, recordPath, warning);
        }
        if (_client.Options.Credentials is null)
        {
            throw new ServiceRequestsException(
                $"Publishing needs an account: set the {SocrataClientOptions.UsernameVariable} and {SocrataClientOptions.PasswordVariable} environment variables.");
        }

        await CheckRowIdentifierAsync(cancellationToken).ConfigureAwait(false);
        await UpsertRowsAsync(issuesPath, changed, record, upsertBatches, Report, cancellationToken).ConfigureAwait(false);
        var removed = await DeleteAsync(deleted, record, Report, cancellationToken).ConfigureAwait(false);
        record.Compact();
        return new PublishReport(changed.Count, rows - changed.Count, deleted.Count, removed, false, batches, recordPath, warning);
    }

    /// <summary>
    /// Checks that the dataset's row identifier is <c>id</c>: without one, an upsert appends every
    /// row again (duplicates) and cannot delete; with another, rows would be matched by the wrong column.
    /// </summary>
    private async Task CheckRowIdentifierAsync(CancellationToken cancellationToken)
    {
        var metadata = await _client.GetMetadataAsync(_datasetId, cancellationToken).ConfigureAwait(false);
        if (metadata.RowIdentifier == PortalSchema.Id)
        {
            return;
        }
        var found = metadata.RowIdentifier is null
            ? "has no row identifier, so an upsert would append every row again instead of updating it"
            : $"row identifier is '{metadata.RowIdentifier}', so an upsert would match rows by that column instead of by id";
        throw new ServiceRequestsException(
            $"The dataset {_datasetId} {found}: set the dataset's row identifier to the column 'id' " +
            "(on the portal: edit the dataset, open the column 'id' and choose it as the row identifier), then publish again. Nothing was sent.");
    }

    private static (string Issues, string? Deleted) Locate(string storeFolder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(storeFolder);
        var store = Path.GetFullPath(storeFolder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var name = Path.GetFileName(store);
        if (name.Equals(StoreLayout.PrivateFolder, StringComparison.OrdinalIgnoreCase))
        {
            throw new ServiceRequestsException(
                $"'{store}' is the private table's folder, which is never published (it holds reporters' personal data). " +
                $"Pass the store folder; publish reads only its public export {StoreLayout.PublicFolder}/{StoreLayout.PublicJsonFileName}.");
        }
        if (name.Equals(StoreLayout.PublicFolder, StringComparison.OrdinalIgnoreCase))
        {
            throw new ServiceRequestsException($"Pass the store folder (the one holding {StoreLayout.PublicFolder}/), not '{store}' itself.");
        }
        if (!Directory.Exists(store))
        {
            throw new ServiceRequestsException($"No such folder: '{store}'.");
        }
        var issues = Path.Combine(store, StoreLayout.PublicFolder, StoreLayout.PublicJsonFileName);
        if (!File.Exists(issues))
        {
            throw new ServiceRequestsException($"No public export at '{issues}': run the sync first, and pass the store folder.");
        }
        var deleted = Path.Combine(store, StoreLayout.PublicFolder, StoreLayout.DeletedFileName);
        return (issues, File.Exists(deleted) ? deleted : null);
    }

    /// <summary>
    /// Checks every row of the export before anything is sent; returns the row count and the rows
    /// to send (those the record does not hold as they are), by id, with their fingerprints.
    /// </summary>
    private async Task<(long Rows, Dictionary<string, PublishedRow> Changed)> CheckAsync(string path, PublishRecord record, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var changed = new Dictionary<string, PublishedRow>(StringComparer.Ordinal);
        long rows = 0;
        await foreach (var row in ReadRowsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            rows++;
            if (row.ValueKind != JsonValueKind.Object)
            {
                throw new ServiceRequestsException($"{path}: row {rows:N0} is {row.ValueKind}, not an object. Nothing was sent.");
            }
            var id = row.TryGetProperty(PortalSchema.Id, out var idValue) && idValue.ValueKind == JsonValueKind.String ? idValue.GetString() : null;
            if (string.IsNullOrWhiteSpace(id))
            {
                throw new ServiceRequestsException($"{path}: row {rows:N0} has no id (the dataset's row identifier). Nothing was sent.");
            }
            if (id.Any(char.IsControl))
            {
                throw new ServiceRequestsException($"{path}: row {rows:N0} has an id with a control character (tab, line break). Nothing was sent.");
            }
            if (!ids.Add(id))
            {
                throw new ServiceRequestsException($"{path}: row {rows:N0} repeats the id {id}. Nothing was sent.");
            }
            foreach (var field in row.EnumerateObject())
            {
                if (!_portalColumns.Contains(field.Name))
                {
                    throw new ServiceRequestsException(
                        $"{path}: row {rows:N0} (id {id}) has the column '{field.Name}', which is not a public (portal) column: " +
                        "this is not the public export. Publishing is refused so that the private table can never reach the portal. Nothing was sent.");
                }
                var expected = field.Name == PortalSchema.Location ? JsonValueKind.Object : JsonValueKind.String;
                if (field.Value.ValueKind != expected && field.Value.ValueKind != JsonValueKind.Null)
                {
                    throw new ServiceRequestsException(
                        $"{path}: row {rows:N0} (id {id}), column '{field.Name}': expected {(expected == JsonValueKind.Object ? "a GeoJSON point" : "a string")}, found {field.Value.ValueKind}. Nothing was sent.");
                }
            }
            var fingerprint = PublishRecord.Fingerprint(row);
            if (!record.TryGet(id, out var published) || published.Hash != fingerprint.Hash)
            {
                changed[id] = fingerprint;
            }
        }
        return (rows, changed);
    }

    private async Task UpsertRowsAsync(string path, Dictionary<string, PublishedRow> changed, PublishRecord record, int batches,
        Action<PublishBatch> report, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(1 << 20);
        using var json = new Utf8JsonWriter(body);
        var inBatch = new List<KeyValuePair<string, PublishedRow>>(Math.Min(BatchSize, changed.Count));
        var number = 0;
        long sent = 0;
        async Task SendAsync()
        {
            json.WriteEndArray();
            json.Flush();
            number++;
            var watch = Stopwatch.StartNew();
            var result = await _client.UpsertAsync(_datasetId, body.WrittenMemory, cancellationToken).ConfigureAwait(false);
            if (result.Errors > 0)
            {
                throw new ServiceRequestsException(
                    $"Upsert batch {number} of {batches} ({inBatch.Count:N0} changed rows from {inBatch[0].Key} to {inBatch[^1].Key} of {path}): the portal reported {result}. " +
                    $"{number - 1} earlier batches were applied; nothing after this batch was sent. " +
                    "Check those rows against the dataset's columns, then run the publish again (repeating it is safe).");
            }
            // Only now that the portal confirmed the batch: a kill before this line sends it again.
            record.Confirm(inBatch);
            sent += inBatch.Count;
            report(new PublishBatch(false, number, batches, inBatch.Count, result, watch.Elapsed, null));
            body.ResetWrittenCount();
            json.Reset();
            inBatch.Clear();
        }
        await foreach (var row in ReadRowsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            var id = row.GetProperty(PortalSchema.Id).GetString()!;
            if (!changed.TryGetValue(id, out var fingerprint))
            {
                continue;
            }
            if (PublishRecord.Fingerprint(row) != fingerprint)
            {
                throw new ServiceRequestsException($"{path} changed while it was being published (row {id}). Run the publish again.");
            }
            if (inBatch.Count == 0)
            {
                json.WriteStartArray();
            }
            var before = record.TryGet(id, out var published) ? published.Filled : 0;
            WriteRow(json, row, AlwaysNamed | before | fingerprint.Filled);
            inBatch.Add(KeyValuePair.Create(id, fingerprint));
            if (inBatch.Count == BatchSize)
            {
                await SendAsync().ConfigureAwait(false);
            }
        }
        if (inBatch.Count > 0)
        {
            await SendAsync().ConfigureAwait(false);
        }
        if (sent != changed.Count)
        {
            throw new ServiceRequestsException($"{path} changed while it was being published ({changed.Count:N0} changed rows checked, {sent:N0} sent). Run the publish again.");
        }
    }

    /// <summary>
    /// The row with the portal columns of <paramref name="named"/> (bit <c>i</c>: column <c>i</c>):
    /// its own values, <c>null</c> where it has none. Other columns are left out, so the portal keeps them.
    /// </summary>
    private static void WriteRow(Utf8JsonWriter json, JsonElement row, int named)
    {
        json.WriteStartObject();
        for (var i = 0; i < PortalSchema.Columns.Count; i++)
        {
            if ((named & (1 << i)) == 0)
            {
                continue;
            }
            var name = PortalSchema.Columns[i].Name;
            json.WritePropertyName(name);
            if (row.TryGetProperty(name, out var value))
            {
                value.WriteTo(json);
            }
            else
            {
                json.WriteNullValue();
            }
        }
        json.WriteEndObject();
    }

    private async Task<long> DeleteAsync(List<string> listed, PublishRecord record, Action<PublishBatch> report, CancellationToken cancellationToken)
    {
        if (listed.Count == 0)
        {
            return 0;
        }
        // Forgotten before the deletes are sent: a row deleted and later restored is sent again.
        record.Forget(listed);
        var present = await PresentAsync(listed, cancellationToken).ConfigureAwait(false);
        if (present.Count == 0)
        {
            report(new PublishBatch(true, 0, 0, 0, null, TimeSpan.Zero, $"none of the {listed.Count:N0} ids in {StoreLayout.DeletedFileName} is on the portal any more"));
            return 0;
        }
        var batches = (present.Count + BatchSize - 1) / BatchSize;
        long deleted = 0;
        for (var b = 0; b < batches; b++)
        {
            var ids = present.Skip(b * BatchSize).Take(BatchSize).ToList();
            var body = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(body))
            {
                json.WriteStartArray();
                foreach (var id in ids)
                {
                    json.WriteStartObject();
                    json.WriteString(PortalSchema.Id, id);
                    json.WriteBoolean(":deleted", true);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            var watch = Stopwatch.StartNew();
            var result = await _client.UpsertAsync(_datasetId, body.WrittenMemory, cancellationToken).ConfigureAwait(false);
            string? note = null;
            if (result.Errors > 0)
            {
                // Socrata counts the delete of an id it does not have as an error: a batch repeated
                // after a lost response does that. It is a success if none of the ids is left.
                var left = await PresentAsync(ids, cancellationToken).ConfigureAwait(false);
                if (left.Count > 0)
                {
                    throw new ServiceRequestsException(
                        $"Delete batch {b + 1} of {batches}: the portal reported {result}, and {left.Count:N0} of its ids are still there (e.g. {left[0]}). " +
                        "Run the publish again; if it fails the same way, check the dataset's row identifier is 'id'.");
                }
                note = $"{result.Errors:N0} ids were already deleted (checked)";
            }
            deleted += ids.Count;
            report(new PublishBatch(true, b + 1, batches, ids.Count, result, watch.Elapsed, note));
        }
        return deleted;
    }

    /// <summary>The ids among <paramref name="ids"/> the portal has, in the given order.</summary>
    private async Task<List<string>> PresentAsync(List<string> ids, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var column = new[] { new ColumnSpec(PortalSchema.Id, ColumnType.Text) };
        for (var start = 0; start < ids.Count; start += IdsPerLookup)
        {
            var chunk = ids.Skip(start).Take(IdsPerLookup).ToList();
            var query = new SoqlQuery { Select = PortalSchema.Id, Where = $"{PortalSchema.Id} IN ({string.Join(", ", chunk.Select(Soql.Text))})" };
            var frame = await _client.LoadAsync(_datasetId, query, column, cancellationToken).ConfigureAwait(false);
            foreach (var id in (StringDataFrameColumn)frame[PortalSchema.Id])
            {
                if (id is not null)
                {
                    found.Add(id);
                }
            }
        }
        return [.. ids.Where(found.Contains)];
    }
}
