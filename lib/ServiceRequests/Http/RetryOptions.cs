namespace ServiceRequests.Http;

/// <summary>How <see cref="RetryHandler"/> retries: bounded attempts, exponential backoff with jitter, per-attempt timeout.</summary>
public sealed record RetryOptions
{
    /// <summary>Attempts in all, the first included (default 6).</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Delay before the first retry; doubles each retry (default 2 s).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest backoff delay (default 2 min).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest <c>Retry-After</c> honoured; a server asking for more fails the request (default 15 min).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Timeout of one attempt, headers and body (default 100 s).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Retry non-idempotent methods (POST, PATCH) too. Only for requests that are safe to repeat,
    /// such as a Socrata upsert keyed by row identifier (default false).
    /// </summary>
    public bool RetryNonIdempotent { get; init; }

    /// <summary>
    /// Read each response body completely inside the attempt (default true), so a stalled or cut
    /// body is retried like any other failure. Set false to stream large bodies; the caller then
    /// handles failures while reading the body.
    /// </summary>
    public bool BufferResponseBody { get; init; } = true;

    /// <summary>Waits between attempts; replace in tests to run without real sleeping.</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    /// <summary>Called before each retry with the attempt number (1-based) just failed, the wait, and the reason.</summary>
    public Action<int, TimeSpan, string>? OnRetry { get; init; }

    /// <summary>Random source for jitter; seed it in tests.</summary>
    public Random Jitter { get; init; } = Random.Shared;
}
