namespace ServiceRequests.Metrics;

/// <summary>Settings of <see cref="IssueMetrics"/>; every default matches docs/metrics.md.</summary>
public sealed record MetricOptions
{
    /// <summary>First day of a week: <see cref="DayOfWeek.Sunday"/> (default, the city's Sunday–Saturday weeks) or <see cref="DayOfWeek.Monday"/> (ISO).</summary>
    public DayOfWeek WeekStart { get; init; } = DayOfWeek.Sunday;

    /// <summary>The zone of the floating (wall-clock) timestamps; default <see cref="CityTime.Detroit"/>.</summary>
    public TimeZoneInfo TimeZone { get; init; } = CityTime.Detroit;

    /// <summary>Elapsed time (default) or the original's wall-clock rule.</summary>
    public DurationMode Duration { get; init; } = DurationMode.Elapsed;

    /// <summary>
    /// When the data was pulled, as a floating (wall-clock) time: open issues' ages are measured to
    /// it, and the last complete week is the last one ending before its date. Default: the latest
    /// timestamp in the data (created, closed, re-opened or updated).
    /// </summary>
    public DateTime? AsOf { get; init; }

    /// <summary>
    /// Minimum number of issues behind a rate before it is ranked (re-opened, duplicates) or
    /// flagged (last weeks); default 20.
    /// </summary>
    public int MinimumVolume { get; init; } = 20;

    /// <summary>Number of weeks shown side by side by <see cref="IssueMetrics.LastWeeks"/>; default 4.</summary>
    public int WeeksShown { get; init; } = 4;

    /// <summary>Length in weeks of the rolling window and of the trailing average, and the window of latest weeks <see cref="IssueMetrics.Changes"/> tests as one unit; default 4.</summary>
    public int RollingWeeks { get; init; } = 4;

    /// <summary>A week's value is flagged when it differs from the trailing average by at least this many percent; default 25.</summary>
    public double ChangeThresholdPercent { get; init; } = 25;

    /// <summary>
    /// The false discovery rate at which <see cref="IssueMetrics.Changes"/> flags a change: the
    /// Benjamini–Hochberg adjusted p-value (q) of a row must be at most this; default 0.25, the rate
    /// of exploratory screens: among a report's flags at most about a quarter are expected to be
    /// noise, and on data with no change about a quarter of reports show a flag (docs/metrics.md,
    /// "Change flags: measured"); 0.05 flags less noise and misses more.
    /// </summary>
    public double FalseDiscoveryRate { get; init; } = 0.25;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">A count is out of range or the time zone is missing.</exception>
    public void Validate()
    {
        if (WeekStart is not (DayOfWeek.Sunday or DayOfWeek.Monday))
        {
            throw new ArgumentException($"Weeks start on Sunday or Monday (got {WeekStart}).");
        }
        if (TimeZone is null)
        {
            throw new ArgumentException("A time zone is required.");
        }
        if (MinimumVolume < 0)
        {
            throw new ArgumentException($"The minimum volume must be 0 or more (got {MinimumVolume}).");
        }
        if (WeeksShown < 1 || RollingWeeks < 1)
        {
            throw new ArgumentException($"Weeks shown and rolling weeks must be 1 or more (got {WeeksShown} and {RollingWeeks}).");
        }
        if (!(ChangeThresholdPercent >= 0) || !double.IsFinite(ChangeThresholdPercent))
        {
            throw new ArgumentException($"The change threshold must be a percentage of 0 or more (got {ChangeThresholdPercent}).");
        }
        if (!(FalseDiscoveryRate is > 0 and < 1))
        {
            throw new ArgumentException($"The false discovery rate must be between 0 and 1 (got {FalseDiscoveryRate}).");
        }
    }
}
