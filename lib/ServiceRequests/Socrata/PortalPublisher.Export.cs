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

/// <content>Reading the public export: the deleted ids and the rows of issues.json, streamed.</content>
internal sealed partial class PortalPublisher
{
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
