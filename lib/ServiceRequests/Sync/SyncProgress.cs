namespace ServiceRequests.Sync;

/// <summary>Where a running sync stands, reported after each page.</summary>
/// <param name="Full">Whether this is a full load or reconciliation.</param>
/// <param name="Pages">Pages fetched by this run.</param>
/// <param name="Requests">HTTP requests sent by this run, retries included.</param>
/// <param name="Fetched">Issues fetched by this run.</param>
/// <param name="Remaining">Issues the API says are still to come.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Eta">Estimated time to finish at the paced request rate.</param>
internal sealed record SyncProgress(bool Full, int Pages, int Requests, long Fetched, long Remaining, TimeSpan Elapsed, TimeSpan Eta);
