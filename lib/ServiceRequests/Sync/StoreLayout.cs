namespace ServiceRequests.Sync;

/// <summary>
/// The files of a sync store, relative to its folder: the private table (<c>private/issues.csv</c>,
/// personal data, never published), the public export that <c>publish</c> uploads
/// (<c>public/issues.csv</c>, <c>public/issues.json</c>, <c>public/deleted.csv</c>) with its columnar copy <c>public/issues.parquet</c>, the state
/// (<c>state.json</c>), the run log (<c>runs.jsonl</c>) and the lock a running sync holds.
/// </summary>
internal static class StoreLayout
{
    /// <summary>The public export's folder.</summary>
    public const string PublicFolder = "public";

    /// <summary>The private table's folder, which is never published.</summary>
    public const string PrivateFolder = "private";

    /// <summary>The public export's rows in the portal's JSON shape: the file <c>publish</c> uploads.</summary>
    public const string PublicJsonFileName = "issues.json";

    /// <summary>The ids deleted from the public export (<c>id,deleted_at</c>).</summary>
    public const string DeletedFileName = "deleted.csv";

    /// <summary>The private table's path (every column, personal data included).</summary>
    public static readonly string PrivateTable = Path.Combine(PrivateFolder, "issues.csv");

    /// <summary>The public CSV's path.</summary>
    public static readonly string PublicTable = Path.Combine(PublicFolder, "issues.csv");

    /// <summary>The public JSON's path (what <c>publish</c> uploads).</summary>
    public static readonly string PublicJson = Path.Combine(PublicFolder, PublicJsonFileName);

    /// <summary>The public table's columnar copy (Parquet; the same rows as the public JSON), for DuckDB, pandas and fast reloads.</summary>
    public static readonly string PublicParquet = Path.Combine(PublicFolder, "issues.parquet");

    /// <summary>The deleted ids' path (<c>id,deleted_at</c>).</summary>
    public static readonly string DeletedTable = Path.Combine(PublicFolder, DeletedFileName);

    /// <summary>The state file: source, high-water mark, resume point.</summary>
    public const string StateFile = "state.json";

    /// <summary>The append-only run log, one JSON object per run.</summary>
    public const string RunLogFile = "runs.jsonl";

    /// <summary>The lock file a running sync holds.</summary>
    public const string LockFile = ".sync.lock";
}
