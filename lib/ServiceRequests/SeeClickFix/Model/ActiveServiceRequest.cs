namespace ServiceRequests.SeeClickFix.Model;

/// <summary>The work order (service request) behind an issue, from the organization endpoint.</summary>
internal sealed record ActiveServiceRequest
{
    /// <summary>Work order status, e.g. "accepted", "started", "finished".</summary>
    public string? Status { get; init; }

    /// <summary>When the work order breaches its service level agreement.</summary>
    public DateTimeOffset? SlaExpiresAt { get; init; }

    /// <summary>When it was last assigned.</summary>
    public DateTimeOffset? LastAssignedAt { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When it was accepted.</summary>
    public DateTimeOffset? AcceptedAt { get; init; }

    /// <summary>When work started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When work resumed after a pause.</summary>
    public DateTimeOffset? ResumedAt { get; init; }

    /// <summary>When work finished.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When the work order was closed.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>When the work order was re-opened.</summary>
    public DateTimeOffset? ReopenedAt { get; init; }

    /// <summary>The crew member or official it is assigned to (personal data).</summary>
    public Person? Assignee { get; init; }
}
