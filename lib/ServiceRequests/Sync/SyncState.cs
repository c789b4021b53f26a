using System.Text.Json;
using System.Text.Json.Serialization;
using ServiceRequests.IO;

namespace ServiceRequests.Sync;

/// <summary>
/// <c>state.json</c>: the store's source, its high-water mark, and the resume point of a run that
/// did not finish. Written atomically after the data it describes.
/// </summary>
internal sealed record SyncState
{
    /// <summary>The source the store is synced from, e.g. <c>https://seeclickfix.com/api/v2/ place detroit</c>.</summary>
    [JsonPropertyName("source")]
    public string? Source { get; init; }

    /// <summary>The high-water mark: every issue updated up to this instant (minus the overlap) is in the store.</summary>
    [JsonPropertyName("updated_at")]
    public DateTimeOffset? Watermark { get; init; }

    /// <summary>When the last full reconciliation finished.</summary>
    [JsonPropertyName("last_full_sync")]
    public DateTimeOffset? LastFull { get; init; }

    /// <summary>The unfinished run, if any.</summary>
    [JsonPropertyName("in_progress")]
    public Progress? InProgress { get; init; }

    /// <summary>Where an unfinished run stands.</summary>
    internal sealed record Progress
    {
        /// <summary>Whether it is a full reconciliation.</summary>
        [JsonPropertyName("full")]
        public bool Full { get; init; }

        /// <summary>The signpost: the run's start; the high-water mark never moves past it.</summary>
        [JsonPropertyName("signpost")]
        public DateTimeOffset Signpost { get; init; }

        /// <summary>Where to resume: <c>updated_at_after</c> of the next request (null: from the start).</summary>
        [JsonPropertyName("cursor")]
        public DateTimeOffset? Cursor { get; init; }

        /// <summary>The latest <c>updated_at</c> fetched so far.</summary>
        [JsonPropertyName("max_updated_at")]
        public DateTimeOffset? MaxSeen { get; init; }

        /// <summary>A full run's ids seen so far (what is not seen by its end was deleted).</summary>
        [JsonPropertyName("seen_ids")]
        public IReadOnlyList<long>? Seen { get; init; }
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Reads <paramref name="path"/>, or an empty state when it does not exist.</summary>
    /// <exception cref="ServiceRequestsException">The file is not a state file; the message names it.</exception>
    public static SyncState Load(string path)
    {
        if (!File.Exists(path))
        {
            return new SyncState();
        }
        try
        {
            return JsonSerializer.Deserialize<SyncState>(Files.Read(path, () => File.ReadAllBytes(path)), Json) ?? new SyncState();
        }
        catch (JsonException e)
        {
            throw new ServiceRequestsException($"{path}: not a sync state file ({e.Message}). Restore it, or delete it to make the next run a full load.", e);
        }
    }

    /// <summary>Writes the state to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, s => JsonSerializer.Serialize(s, this, Json));
}
