using ServiceRequests.Geo;
using ServiceRequests.Portal;

namespace ServiceRequests.Sync;

/// <summary>How an <see cref="IssueSync"/> runs.</summary>
internal sealed record SyncOptions
{
    /// <summary>
    /// The lookback: an incremental run asks for issues updated after (high-water mark − overlap),
    /// so issues that became visible late, or were updated while the last run paged, are re-read
    /// rather than missed (default 15 minutes).
    /// </summary>
    public TimeSpan Overlap { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Request types whose description, address and location stay out of the public export (default: the city's list).</summary>
    public PublicRedaction Redaction { get; init; } = PublicRedaction.Default;

    /// <summary>
    /// How often a long run saves its progress (the private table and the resume point), default
    /// 5 minutes (100 requests at 20 per minute: what a kill can cost); zero saves after every page.
    /// </summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Ask for <c>details=true</c> (comments, so the closing comment; 20 issues per page instead of 100, so five times the requests).</summary>
    public bool Details { get; init; }

    /// <summary>
    /// The council districts whose number fills <c>council_district</c> in the public export, from
    /// each issue's coordinates (default: Detroit's 2026 plan, bundled). Names must be numbers.
    /// </summary>
    public BoundaryLayer Districts { get; init; } = BoundaryLayer.CouncilDistricts2026;

    /// <summary>Neighborhood polygons whose names fill <c>neighborhood</c> in the public export; null (default) leaves it empty.</summary>
    public BoundaryLayer? Neighborhoods { get; init; }

    /// <summary>The clock (the signpost, run times, deletion times); replace in tests.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">The overlap or checkpoint interval is negative, or a district's name is not a number.</exception>
    public void Validate()
    {
        if (Overlap < TimeSpan.Zero)
        {
            throw new ArgumentException($"The overlap must not be negative (got {Overlap}).");
        }
        if (CheckpointInterval < TimeSpan.Zero)
        {
            throw new ArgumentException($"The checkpoint interval must not be negative (got {CheckpointInterval}).");
        }
        _ = new IssuePlaces(Districts ?? throw new ArgumentException("The districts layer is required."), Neighborhoods);
    }
}
