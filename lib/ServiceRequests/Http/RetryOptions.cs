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

    /// <summary>Timeout of one attempt, headers and body: a server that has not sent the whole answer by then is given up on, and the request retried (default 60 s).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The longest one request may take, every attempt and wait included; no retry starts that
    /// could not finish before it, and a <c>Retry-After</c> beyond it is not waited for (default
    /// 3 min; never less than <see cref="AttemptTimeout"/>). Waits of a rate limit's pacing do not count.
    /// </summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(3);

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

    /// <summary>
    /// These options with each retry shown as one line on <paramref name="writer"/>
    /// (<c>  retrying in 2.6 s (attempt 1 failed: ...)</c>), so a long wait never looks like a hang.
    /// </summary>
    internal RetryOptions PrintingTo(TextWriter writer) => this with
    {
        OnRetry = (attempt, wait, reason) => writer.WriteLine(string.Create(
            System.Globalization.CultureInfo.InvariantCulture, $"  retrying in {wait.TotalSeconds:0.#} s (attempt {attempt} failed: {reason})")),
    };

    /// <summary>The longest timeout or deadline a request can be given.</summary>
    internal static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one attempt, or a timeout or deadline that is not from 1 ms to a day.</exception>
    internal void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "There must be at least one attempt.");
        }
        if (AttemptTimeout < TimeSpan.FromMilliseconds(1) || AttemptTimeout > Longest)
        {
            throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), AttemptTimeout, "The timeout must be from 1 ms to a day.");
        }
        if (Deadline < TimeSpan.FromMilliseconds(1) || Deadline > Longest)
        {
            throw new ArgumentOutOfRangeException(nameof(Deadline), Deadline, "The deadline must be from 1 ms to a day.");
        }
    }
}
