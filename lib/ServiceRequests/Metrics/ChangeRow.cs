namespace ServiceRequests.Metrics;

/// <summary>
/// One row of <see cref="IssueMetrics.Changes"/> before the multiple-comparison step: the type row
/// (-1 for all types), metric, test (<see cref="ChangeTest.Window"/> or <see cref="ChangeTest.Week"/>),
/// the first and last week tested, its issues and the evidence in words. <see cref="Statistic"/> is
/// positive when the value is higher than the baseline; <see cref="NotTested"/> says why a row has no p-value.
/// </summary>
internal sealed record ChangeRow(int Row, string Metric, string Test, int FirstWeek, int LastWeek, int Issues, string Evidence)
{
    public double? Value { get; init; }
    public double? ValueLow { get; init; }
    public double? ValueHigh { get; init; }
    public double? Baseline { get; init; }
    public double? BaselineLow { get; init; }
    public double? BaselineHigh { get; init; }
    public double? ChangeLow { get; init; }
    public double? ChangeHigh { get; init; }

    /// <summary>The estimated first changed week (window rows), as a week index.</summary>
    public int? ChangeStart { get; init; }

    public double? P { get; init; }
    public double Statistic { get; init; }
    public string? NotTested { get; init; }
}
