namespace ServiceRequests.Metrics;

/// <summary>One row of the SLA table.</summary>
/// <param name="RequestType">Request type title, as in the data.</param>
/// <param name="Department">The responsible department.</param>
/// <param name="SlaDays">Days to close agreed for the type; null when the type has no SLA.</param>
public sealed record SlaEntry(string RequestType, string? Department, double? SlaDays);
