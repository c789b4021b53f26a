using System.Text.Json;
using System.Text.Json.Serialization;
using ServiceRequests.IO;

namespace ServiceRequests.Sync;

/// <summary>
/// <c>state.json</c>: the store's source, its high-water mark, the resume point of a run that did
/// not finish, and the manifest of the store's files (the generation of each, with its rows, size
/// and SHA-256). Replacing it is what commits a save (<see cref="StoreCommit"/>).
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

    /// <summary>
    /// The generation: how many saves the store has committed. Each save writes its files under
    /// staged names and commits by replacing this file; see <see cref="StoreCommit"/>.
    /// </summary>
    [JsonPropertyName("generation")]
    public long Generation { get; init; }

    /// <summary>Every file of the store (path relative to the store, with <c>/</c>) as the save that last wrote it left it.</summary>
    [JsonPropertyName("files")]
    public IReadOnlyDictionary<string, StoreFileEntry>? Files { get; init; }

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

    /// <summary>What the state records of one store file.</summary>
    /// <param name="Generation">The generation that wrote it (it keeps its generation while saves leave it unchanged).</param>
    /// <param name="Rows">Rows (records of a table, lines of the run log).</param>
    /// <param name="Bytes">Its size.</param>
    /// <param name="Sha256">Its SHA-256, lower-case hex (as <c>sha256sum</c> prints it).</param>
    internal sealed record StoreFileEntry(
        [property: JsonPropertyName("generation")] long Generation,
        [property: JsonPropertyName("rows")] long Rows,
        [property: JsonPropertyName("bytes")] long Bytes,
        [property: JsonPropertyName("sha256")] string Sha256);

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
            return JsonSerializer.Deserialize<SyncState>(IO.Files.Read(path, () => File.ReadAllBytes(path)), Json) ?? new SyncState();
        }
        catch (JsonException e)
        {
            throw new ServiceRequestsException($"'{path}' is not a sync state file ({e.Message}). Run a full sync to repair the store, or restore it from a backup.", e);
        }
    }

    /// <summary>Writes the state as JSON into <paramref name="stream"/> (<see cref="StoreCommit"/> makes it the store's <c>state.json</c>).</summary>
    public void Write(Stream stream) => JsonSerializer.Serialize(stream, this, Json);
}
