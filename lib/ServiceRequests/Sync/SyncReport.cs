namespace ServiceRequests.Sync;

/// <summary>What a finished sync did (also written to <c>runs.jsonl</c>).</summary>
/// <param name="Full">Whether it was a full load or reconciliation.</param>
/// <param name="Resumed">Whether it continued an unfinished run.</param>
/// <param name="Pages">Pages fetched.</param>
/// <param name="Requests">HTTP requests sent, retries included.</param>
/// <param name="Fetched">Issues fetched (an issue re-read counts again).</param>
/// <param name="Inserted">Issues new to the store.</param>
/// <param name="Updated">Issues whose values changed.</param>
/// <param name="Unchanged">Issues fetched with nothing new.</param>
/// <param name="Deleted">Issues gone from the source (found only by a full run).</param>
/// <param name="Total">Issues in the store afterwards.</param>
/// <param name="Watermark">The new high-water mark.</param>
/// <param name="Elapsed">How long it took.</param>
internal sealed record SyncReport(bool Full, bool Resumed, int Pages, int Requests, long Fetched, long Inserted, long Updated, long Unchanged,
    long Deleted, int Total, DateTimeOffset? Watermark, TimeSpan Elapsed)
{
    /// <summary>Issues in the store placed in a council district (<see cref="SyncOptions.Districts"/>).</summary>
    public long InDistrict { get; init; }

    /// <summary>Issues in the store whose coordinates fall in no district: outside the city, or in Hamtramck or Highland Park.</summary>
    public long OutsideDistricts { get; init; }

    /// <summary>Issues in the store without coordinates.</summary>
    public long WithoutCoordinates { get; init; }

    /// <summary>Issues in the store placed in a neighborhood; null when no neighborhoods layer is configured.</summary>
    public long? InNeighborhood { get; init; }
}
