using System.Net;
using Microsoft.AspNetCore.Http;
using ServiceRequests.Http;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Http;

public class RetryHandlerTests
{
    private readonly List<TimeSpan> _waits = [];

    private RetryOptions Options(int attempts = 4, TimeSpan? timeout = null) => new()
    {
        MaxAttempts = attempts,
        BaseDelay = TimeSpan.FromSeconds(1),
        MaxDelay = TimeSpan.FromSeconds(8),
        AttemptTimeout = timeout ?? TimeSpan.FromSeconds(10),
        Jitter = new Random(1),
        Delay = (wait, _) =>
        {
            _waits.Add(wait);
            return Task.CompletedTask;
        },
    };

    private static async Task<(LoopbackServer Server, Func<int> Calls)> Serve(Func<int, HttpContext, Task> respond)
    {
        var calls = 0;
        var server = await LoopbackServer.StartAsync(context => respond(Interlocked.Increment(ref calls), context));
        return (server, () => calls);
    }

    [Fact]
    public async Task A_429_waits_exactly_what_Retry_After_says_then_succeeds()
    {
        var (server, calls) = await Serve(async (n, c) =>
        {
            if (n == 1)
            {
                c.Response.StatusCode = 429;
                c.Response.Headers.RetryAfter = "37";
                await c.Response.WriteAsync("""{"message":"Too Many Requests"}""");
                return;
            }
            await c.Response.WriteAsync("ok");
        });
        await using var _ = server;
        using var client = new HttpClient(new RetryHandler(Options()));

        var body = await client.GetStringAsync(new Uri(server.BaseAddress, "issues"));

        Assert.Equal("ok", body);
        Assert.Equal(2, calls());
        Assert.Equal([TimeSpan.FromSeconds(37)], _waits);
    }

    [Fact]
    public async Task Server_errors_back_off_exponentially_with_jitter_and_give_up_with_the_last_response()
    {
        var (server, calls) = await Serve((_, c) =>
        {
            c.Response.StatusCode = 503;
            return Task.CompletedTask;
        });
        await using var _ = server;
        using var client = new HttpClient(new RetryHandler(Options(attempts: 4)));

        using var response = await client.GetAsync(server.BaseAddress);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(4, calls());
        Assert.Equal(3, _waits.Count);
        Assert.InRange(_waits[0].TotalSeconds, 0.5, 1);
        Assert.InRange(_waits[1].TotalSeconds, 1, 2);
        Assert.InRange(_waits[2].TotalSeconds, 2, 4);
    }

    [Fact]
    public async Task Client_errors_and_non_idempotent_posts_are_not_retried()
    {
        var (server, calls) = await Serve((_, c) =>
        {
            c.Response.StatusCode = c.Request.Method == "POST" ? 500 : 404;
            return Task.CompletedTask;
        });
        await using var _ = server;
        using var client = new HttpClient(new RetryHandler(Options()));

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(server.BaseAddress)).StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.PostAsync(server.BaseAddress, new StringContent("x"))).StatusCode);
        Assert.Equal(2, calls());
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task Posts_marked_safe_to_repeat_are_retried()
    {
        var (server, calls) = await Serve((n, c) =>
        {
            c.Response.StatusCode = n < 3 ? 500 : 200;
            return Task.CompletedTask;
        });
        await using var _ = server;
        using var client = new HttpClient(new RetryHandler(Options() with { RetryNonIdempotent = true }));

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync(server.BaseAddress, new StringContent("same body"))).StatusCode);
        Assert.Equal(3, calls());
    }

    [Fact]
    public async Task A_slow_server_times_out_each_attempt_and_the_error_names_the_address_without_secrets()
    {
        var (server, calls) = await Serve(async (_, c) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(5), c.RequestAborted).ContinueWith(_ => { });
        });
        await using var _ = server;
        using var client = new HttpClient(new RetryHandler(Options(attempts: 2, timeout: TimeSpan.FromMilliseconds(300))));
        var uri = new UriBuilder(server.BaseAddress) { UserName = "user", Password = "hunter2", Query = "app_token=abc123&page=2" }.Uri;

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.GetAsync(uri));

        Assert.Equal(2, calls());
        Assert.Contains("no complete response within 0.3 s", error.Message);
        Assert.Contains("page=2", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.DoesNotContain("abc123", error.Message);
    }

    [Fact]
    public async Task A_body_cut_short_is_retried()
    {
        var (server, calls) = await Serve(async (n, c) =>
        {
            if (n == 1)
            {
                c.Response.ContentLength = 1000;
                await c.Response.WriteAsync("[{\"id\":");
                await c.Response.Body.FlushAsync();
                c.Abort();
                return;
            }
            await c.Response.WriteAsync("[]");
        });
        await using var _ = server;
        using var client = new HttpClient(new RetryHandler(Options()));

        Assert.Equal("[]", await client.GetStringAsync(server.BaseAddress));
        Assert.Equal(2, calls());
    }

    [Fact]
    public async Task A_Retry_After_beyond_the_limit_is_not_waited_for()
    {
        var (server, calls) = await Serve((_, c) =>
        {
            c.Response.StatusCode = 429;
            c.Response.Headers.RetryAfter = "86400";
            return Task.CompletedTask;
        });
        await using var _ = server;
        using var client = new HttpClient(new RetryHandler(Options()));

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync(server.BaseAddress)).StatusCode);
        Assert.Equal(1, calls());
    }

    [Fact]
    public async Task A_refused_connection_is_retried_then_reported()
    {
        using var client = new HttpClient(new RetryHandler(Options(attempts: 3)));
        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.GetAsync("http://127.0.0.1:9/nothing"));
        Assert.Contains("127.0.0.1:9/nothing", error.Message);
        Assert.Contains("attempt 3 of 3", error.Message);
        Assert.Equal(2, _waits.Count);
    }

    /// <summary>Real waits, short: each retry announced with when it was.</summary>
    private static RetryOptions Bounded(List<(TimeSpan At, string Reason)> retries, System.Diagnostics.Stopwatch clock) => new()
    {
        MaxAttempts = 100,
        AttemptTimeout = TimeSpan.FromMilliseconds(300),
        Deadline = TimeSpan.FromSeconds(3),
        BaseDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromMilliseconds(200),
        OnRetry = (_, _, reason) =>
        {
            lock (retries)
            {
                retries.Add((clock.Elapsed, reason));
            }
        },
    };

    [Fact]
    public async Task A_server_that_accepts_and_never_answers_is_given_up_on_at_the_deadline_each_retry_announced_as_it_happens()
    {
        await using var server = StallingServer.Silent();
        var retries = new List<(TimeSpan At, string Reason)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var client = new HttpClient(new RetryHandler(Bounded(retries, clock)));

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.GetAsync(new Uri(server.BaseAddress, "resource/abcd-1234.json")));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(8));
        Assert.Contains("GET http://127.0.0.1:", error.Message);
        Assert.Contains("no complete response within", error.Message);
        Assert.Contains("deadline of 3 s", error.Message);
        Assert.True(retries.Count >= 2, $"{retries.Count} retries");
        Assert.All(retries, r => Assert.Contains("no complete response within 0.3 s", r.Reason));
        Assert.True(retries[0].At < TimeSpan.FromSeconds(1.5), $"the first retry was announced at {retries[0].At}");
        Assert.Equal(retries.Count + 1, server.Connections);
    }

    [Fact]
    public async Task A_server_that_trickles_its_body_is_given_up_on_like_one_that_never_answers()
    {
        await using var server = StallingServer.Trickle(TimeSpan.FromMilliseconds(50));
        var retries = new List<(TimeSpan At, string Reason)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var client = new HttpClient(new RetryHandler(Bounded(retries, clock)));

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => client.GetStringAsync(server.BaseAddress));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(8));
        Assert.Contains("no complete response within", error.Message);
        Assert.True(retries.Count >= 2, $"{retries.Count} retries");
    }

    [Fact]
    public async Task No_retry_starts_that_could_not_finish_before_the_deadline()
    {
        var (server, calls) = await Serve((_, c) =>
        {
            c.Response.StatusCode = 503;
            c.Response.Headers.RetryAfter = "100";
            return Task.CompletedTask;
        });
        await using var _ = server;
        using var client = new HttpClient(new RetryHandler(Options(attempts: 10) with { Deadline = TimeSpan.FromSeconds(250) }));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync(server.BaseAddress)).StatusCode);
        Assert.Equal(3, calls());
        Assert.Equal([TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(100)], _waits);
    }

    [Fact]
    public async Task Waiting_for_the_pacer_is_not_charged_to_the_attempt_timeout()
    {
        var (server, calls) = await Serve((_, c) => c.Response.WriteAsync("ok"));
        await using var _ = server;
        using var pacer = new RequestPacer(100);
        using var client = new HttpClient(new RetryHandler(Options(attempts: 1, timeout: TimeSpan.FromMilliseconds(250)), pacer: pacer));

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("ok", await client.GetStringAsync(server.BaseAddress));
        }
        Assert.Equal(3, calls());
        Assert.Equal(3, pacer.Sent);
    }

    [Theory]
    [InlineData(0, 60, 180)]
    [InlineData(3, 0, 180)]
    [InlineData(3, 60, 0)]
    [InlineData(3, 60, 86401)]
    public void Options_out_of_range_are_refused(int attempts, double timeout, double deadline) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryHandler(new RetryOptions
        {
            MaxAttempts = attempts, AttemptTimeout = TimeSpan.FromSeconds(timeout), Deadline = TimeSpan.FromSeconds(deadline),
        }));
}
