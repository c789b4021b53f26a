using System.Diagnostics;
using ServiceRequests.Http;

namespace ServiceRequests.Tests.Http;

public class RequestPacerTests
{
    [Fact]
    public async Task Requests_are_spaced_at_the_rate_and_counted()
    {
        using var pacer = new RequestPacer(600);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            await pacer.WaitAsync(CancellationToken.None);
        }
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(390), $"5 requests at 600/min took {watch.Elapsed}");
        Assert.Equal(5, pacer.Sent);
        Assert.Equal(TimeSpan.FromMilliseconds(100), pacer.Interval);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1e-300)]
    [InlineData(0.0099)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_rate_that_is_not_a_number_from_one_per_100_minutes_up_is_refused(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestPacer(rate));

    [Theory]
    [InlineData(0.01)]
    [InlineData(1e300)]
    public void The_extremes_accepted_give_a_usable_interval(double rate)
    {
        using var pacer = new RequestPacer(rate);
        Assert.InRange(pacer.Interval, TimeSpan.Zero, TimeSpan.FromMinutes(100));
    }
}
