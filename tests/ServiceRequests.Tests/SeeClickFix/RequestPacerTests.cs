using System.Diagnostics;
using ServiceRequests.SeeClickFix;

namespace ServiceRequests.Tests.SeeClickFix;

public class RequestPacerTests
{
    private sealed class Answer : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
    }

    [Fact]
    public async Task Requests_are_spaced_at_the_rate_and_counted()
    {
        using var pacer = new RequestPacer(600, new Answer());
        using var client = new HttpClient(pacer);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync("http://127.0.0.1/")).Dispose();
        }
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(390), $"5 requests at 600/min took {watch.Elapsed}");
        Assert.Equal(5, pacer.Sent);
        Assert.Equal(TimeSpan.FromMilliseconds(100), pacer.Interval);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void A_rate_that_is_not_positive_is_refused(double rate) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestPacer(rate, new Answer()));
}
