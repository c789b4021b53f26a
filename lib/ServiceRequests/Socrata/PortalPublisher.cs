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

/// <summary>One batch of a publish, as it is reported.</summary>
/// <param name="Deletes">Whether the batch deletes rows (else it upserts them).</param>
/// <param name="Number">The batch's number among its kind, from 1.</param>
/// <param name="Of">How many batches of its kind there are.</param>
/// <param name="Rows">Rows (or ids) in the batch.</param>
/// <param name="Result">The portal's report; null in a dry run.</param>
/// <param name="Elapsed">How long the batch took, retries included.</param>
/// <param name="Note">Anything else to say (e.g. ids that were already deleted).</param>
internal sealed record PublishBatch(bool Deletes, int Number, int Of, int Rows, UpsertResult? Result, TimeSpan Elapsed, string? Note);

/// <summary>What a publish did.</summary>
/// <param name="RowsUpserted">Rows of <c>issues.json</c> sent (in a dry run: that would be sent).</param>
/// <param name="IdsListed">Ids listed in <c>deleted.csv</c>.</param>
/// <param name="IdsDeleted">Ids deleted on the portal (in a dry run: 0).</param>
/// <param name="DryRun">Whether nothing was sent.</param>
/// <param name="Batches">Every batch, in order.</param>
internal sealed record PublishReport(long RowsUpserted, long IdsListed, long IdsDeleted, bool DryRun, IReadOnlyList<PublishBatch> Batches);

/// <summary>
/// Publishes the sync store's <b>public export</b> to a Socrata dataset whose row identifier is
/// <c>id</c>: upserts the rows of <c>{store}/public/issues.json</c> in batches, then deletes the
/// ids of <c>{store}/public/deleted.csv</c> (header <c>id,deleted_at</c>; optional) that are
/// still on the portal, as rows <c>{"id": "...", ":deleted": true}</c>. The whole file is checked
/// before anything is sent: every column must be a portal column (<see cref="PortalSchema"/>), so
/// the private table, whose columns hold reporters' data, can never be published. Every upserted
/// row names every portal column (<c>null</c> where the export has none), so a value cleared in
/// the export is cleared on the portal too. A batch is idempotent; a publish that failed part way
/// is finished by running it again.
/// </summary>
internal sealed class PortalPublisher
{
    private const int IdsPerLookup = 100;
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
        CancellationToken cancellationToken = default)
    {
        var (issuesPath, deletedPath) = Locate(storeFolder);
        var rows = await CheckAsync(issuesPath, cancellationToken).ConfigureAwait(false);
        var deleted = deletedPath is null ? [] : ReadDeleted(deletedPath);
        var batches = new List<PublishBatch>();
        void Report(PublishBatch batch)
        {
            batches.Add(batch);
            progress?.Invoke(batch);
        }
        var upsertBatches = (int)((rows + BatchSize - 1) / BatchSize);
        if (dryRun)
        {
            for (var b = 1; b <= upsertBatches; b++)
            {
                Report(new PublishBatch(false, b, upsertBatches, (int)Math.Min(BatchSize, rows - (long)(b - 1) * BatchSize), null, TimeSpan.Zero, null));
            }
            if (deleted.Count > 0)
            {
                Report(new PublishBatch(true, 1, 1, deleted.Count, null, TimeSpan.Zero, "ids of deleted.csv; only those still on the portal would be deleted"));
            }
            return new PublishReport(rows, deleted.Count, 0, true, batches);
        }
        if (_client.Options.Credentials is null)
        {
            throw new ServiceRequestsException(
                $"Publishing needs an account: set the {SocrataClientOptions.UsernameVariable} and {SocrataClientOptions.PasswordVariable} environment variables.");
        }

        await CheckRowIdentifierAsync(cancellationToken).ConfigureAwait(false);
        await UpsertRowsAsync(issuesPath, rows, upsertBatches, Report, cancellationToken).ConfigureAwait(false);
        var removed = await DeleteAsync(deleted, Report, cancellationToken).ConfigureAwait(false);
        return new PublishReport(rows, deleted.Count, removed, false, batches);
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

    /// <summary>Checks every row of the export before anything is sent; returns the row count.</summary>
    private async Task<long> CheckAsync(string path, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
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
        }
        return rows;
    }

    private async Task UpsertRowsAsync(string path, long rows, int batches, Action<PublishBatch> report, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(1 << 20);
        using var json = new Utf8JsonWriter(body);
        var inBatch = 0;
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
                    $"Upsert batch {number} of {batches} (rows {sent + 1:N0}–{sent + inBatch:N0} of {path}): the portal reported {result}. " +
                    $"{number - 1} earlier batches were applied; nothing after this batch was sent. " +
                    "Check those rows against the dataset's columns, then run the publish again (repeating it is safe).");
            }
            sent += inBatch;
            report(new PublishBatch(false, number, batches, inBatch, result, watch.Elapsed, null));
            body.ResetWrittenCount();
            json.Reset();
            inBatch = 0;
        }
        await foreach (var row in ReadRowsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            if (inBatch == 0)
            {
                json.WriteStartArray();
            }
            WriteFullRow(json, row);
            inBatch++;
            if (inBatch == BatchSize)
            {
                await SendAsync().ConfigureAwait(false);
            }
        }
        if (inBatch > 0)
        {
            await SendAsync().ConfigureAwait(false);
        }
        if (sent != rows)
        {
            throw new ServiceRequestsException($"{path} changed while it was being published ({rows:N0} rows checked, {sent:N0} sent). Run the publish again.");
        }
    }

    /// <summary>The row with every portal column: its own values, <c>null</c> where it has none.</summary>
    private static void WriteFullRow(Utf8JsonWriter json, JsonElement row)
    {
        json.WriteStartObject();
        foreach (var column in PortalSchema.Columns)
        {
            json.WritePropertyName(column.Name);
            if (row.TryGetProperty(column.Name, out var value))
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

    private async Task<long> DeleteAsync(List<string> listed, Action<PublishBatch> report, CancellationToken cancellationToken)
    {
        if (listed.Count == 0)
        {
            return 0;
        }
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

    private static List<string> ReadDeleted(string path)
    {
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var reader = CsvReader.FromText(Files.Read(path, () => File.ReadAllText(path)),
                new CsvReaderOptions { Separator = ',', TrackLineNumbers = true, MalformedData = CsvMalformedDataHandling.Throw });
            reader.ReadHeader();
            if (!reader.TryGetFieldIndex(PortalSchema.Id, out var idColumn))
            {
                throw new ServiceRequestsException($"{path}: the header must be id,deleted_at (found: {string.Join(',', reader.Headers)}).");
            }
            while (reader.Read())
            {
                var id = reader.GetStringOrNull(idColumn)?.Trim();
                if (string.IsNullOrEmpty(id))
                {
                    throw new ServiceRequestsException($"{path}, line {reader.LineNumber}: the id is empty.");
                }
                if (seen.Add(id))
                {
                    ids.Add(id);
                }
            }
        }
        catch (CsvFormatException e)
        {
            throw new ServiceRequestsException($"{path}: {e.Message}", e);
        }
        return ids;
    }

    private static async IAsyncEnumerable<JsonElement> ReadRowsAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = Files.Read(path, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true));
        await using (file.ConfigureAwait(false))
        {
            var rows = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(file, cancellationToken: cancellationToken);
            var enumerator = rows.GetAsyncEnumerator(cancellationToken);
            await using (enumerator.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                        {
                            yield break;
                        }
                    }
                    catch (JsonException e)
                    {
                        throw new ServiceRequestsException($"{path}: not a JSON array of rows: {e.Message} Nothing was sent.", e);
                    }
                    yield return enumerator.Current;
                }
            }
        }
    }
}
