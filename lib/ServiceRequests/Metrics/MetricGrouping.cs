namespace ServiceRequests.Metrics;

/// <summary>Per-request-type or per-department tables.</summary>
public enum MetricGrouping
{
    /// <summary>One row per request type (<c>request_type_title</c>).</summary>
    RequestType,

    /// <summary>One row per department of the SLA table (<c>department</c>), pooling the issues of its request types.</summary>
    Department,
}
