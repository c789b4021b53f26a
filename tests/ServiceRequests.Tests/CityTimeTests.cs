using System.Globalization;

namespace ServiceRequests.Tests;

public class CityTimeTests
{
    [Fact]
    public void Floating_time_is_the_wall_clock_in_Detroit_in_winter_and_summer()
    {
        Assert.Equal(new DateTime(2017, 1, 1, 4, 1, 42), CityTime.ToFloating(DateTimeOffset.Parse("2017-01-01T09:01:42Z", CultureInfo.InvariantCulture)));
        Assert.Equal(new DateTime(2017, 7, 1, 4, 1, 42), CityTime.ToFloating(DateTimeOffset.Parse("2017-07-01T08:01:42Z", CultureInfo.InvariantCulture)));
        Assert.Equal(DateTimeKind.Unspecified, CityTime.ToFloating(DateTimeOffset.UtcNow).Kind);
    }

    [Fact]
    public void FromFloating_uses_the_offset_in_force()
    {
        Assert.Equal(TimeSpan.FromHours(-5), CityTime.FromFloating(new DateTime(2025, 1, 15, 12, 0, 0)).Offset);
        Assert.Equal(TimeSpan.FromHours(-4), CityTime.FromFloating(new DateTime(2025, 7, 15, 12, 0, 0)).Offset);
    }

    [Fact]
    public void The_repeated_hour_at_fall_back_reads_as_standard_time()
    {
        // 2025-11-02 01:30 happens twice in Detroit; the rule picks the second (EST, -05:00).
        var instant = CityTime.FromFloating(new DateTime(2025, 11, 2, 1, 30, 0));
        Assert.Equal(TimeSpan.FromHours(-5), instant.Offset);
        Assert.Equal(new DateTime(2025, 11, 2, 6, 30, 0), instant.UtcDateTime);
    }

    [Fact]
    public void The_skipped_hour_at_spring_forward_moves_one_hour_later()
    {
        // 2025-03-09 02:30 does not exist in Detroit; read with the standard offset it is 03:30 EDT.
        var instant = CityTime.FromFloating(new DateTime(2025, 3, 9, 2, 30, 0));
        Assert.Equal(new DateTime(2025, 3, 9, 3, 30, 0), CityTime.ToFloating(instant));
    }
}
