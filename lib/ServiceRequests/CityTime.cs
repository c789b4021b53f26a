namespace ServiceRequests;

/// <summary>
/// Local-time rules of the city. The portal publishes <em>floating</em> timestamps: local
/// wall-clock time with no zone (e.g. <c>2017-03-05T14:02:11.000</c> in Detroit). DataFrames in
/// this project hold timestamps the same way, as <see cref="DateTime"/> values of
/// <see cref="DateTimeKind.Unspecified"/> in the city's time zone.
/// </summary>
public static class CityTime
{
    /// <summary>The IANA id of Detroit's time zone.</summary>
    public const string DetroitZoneId = "America/Detroit";

    /// <summary>Detroit's time zone (Eastern, with daylight saving time).</summary>
    public static TimeZoneInfo Detroit { get; } = TimeZoneInfo.FindSystemTimeZoneById(DetroitZoneId);

    /// <summary>The city's wall-clock time at <paramref name="instant"/>, as a floating timestamp.</summary>
    public static DateTime ToFloating(DateTimeOffset instant, TimeZoneInfo? zone = null) =>
        DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(instant, zone ?? Detroit).DateTime, DateTimeKind.Unspecified);

    /// <summary>
    /// The instant of a floating (wall-clock) timestamp. A time repeated when clocks fall back is
    /// read as standard time (the second occurrence); a time skipped when clocks spring forward is
    /// read with the standard offset, i.e. one hour later on the clock.
    /// </summary>
    public static DateTimeOffset FromFloating(DateTime wallClock, TimeZoneInfo? zone = null)
    {
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, (zone ?? Detroit).GetUtcOffset(local));
    }
}
