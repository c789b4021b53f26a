namespace ServiceRequests.Metrics;

/// <summary>How <c>days_to_close</c> (and the age of open issues) is measured.</summary>
public enum DurationMode
{
    /// <summary>
    /// True elapsed time (default): both timestamps are read as instants in
    /// <see cref="MetricOptions.TimeZone"/>, so a daylight-saving change between them does not
    /// add or remove an hour.
    /// </summary>
    Elapsed,

    /// <summary>
    /// The city's stats.ipynb rule (compatible mode): the difference of the two local wall-clock
    /// times, as the original computed after stripping the UTC offset. An interval that contains
    /// the spring-forward change is one hour (1/24 day) longer than elapsed time, one that contains
    /// the fall-back change one hour shorter.
    /// </summary>
    WallClock,
}
