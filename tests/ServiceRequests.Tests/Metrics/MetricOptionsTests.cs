using ServiceRequests.Metrics;

namespace ServiceRequests.Tests.Metrics;

public class MetricOptionsTests
{
    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var options = new MetricOptions();
        Assert.Equal(DayOfWeek.Sunday, options.WeekStart);
        Assert.Same(CityTime.Detroit, options.TimeZone);
        Assert.Equal(DurationMode.Elapsed, options.Duration);
        Assert.Null(options.AsOf);
        Assert.Equal(20, options.MinimumVolume);
        Assert.Equal(4, options.WeeksShown);
        Assert.Equal(4, options.RollingWeeks);
        Assert.Equal(25, options.ChangeThresholdPercent);
        options.Validate();
    }

    public static TheoryData<MetricOptions, string> Invalid => new()
    {
        { new MetricOptions { WeekStart = DayOfWeek.Wednesday }, "Sunday or Monday" },
        { new MetricOptions { TimeZone = null! }, "time zone" },
        { new MetricOptions { MinimumVolume = -1 }, "minimum volume" },
        { new MetricOptions { WeeksShown = 0 }, "Weeks shown" },
        { new MetricOptions { RollingWeeks = 0 }, "rolling weeks" },
        { new MetricOptions { ChangeThresholdPercent = double.NaN }, "threshold" },
        { new MetricOptions { ChangeThresholdPercent = -5 }, "threshold" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_are_refused_with_a_reason(MetricOptions options, string reason)
    {
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains(reason, error.Message);
    }
}
