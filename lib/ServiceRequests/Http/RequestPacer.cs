namespace ServiceRequests.Http;

/// <summary>
/// Spaces requests evenly at a rate per minute (a token bucket of one token), so that a long
/// run stays under an API's limit instead of running into 429s. <see cref="RetryHandler"/> waits
/// for it before every attempt, retries included, and starts the attempt's timeout only after
/// that wait. Counts every request it lets through.
/// </summary>
internal sealed class RequestPacer : IDisposable
{
    /// <summary>The slowest rate accepted: one request every 100 minutes.</summary>
    public const double SlowestRate = 0.01;

    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _next;
    private int _sent;

    /// <summary>Creates a pacer of <paramref name="requestsPerMinute"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not a number from 0.01 (one request every 100 minutes) up.</exception>
    public RequestPacer(double requestsPerMinute, TimeProvider? time = null)
    {
        if (!(requestsPerMinute >= SlowestRate) || double.IsInfinity(requestsPerMinute))
        {
            throw new ArgumentOutOfRangeException(nameof(requestsPerMinute), requestsPerMinute,
                $"The rate must be a number of requests per minute from {SlowestRate} (one request every 100 minutes) up.");
        }
        Interval = TimeSpan.FromMinutes(1 / requestsPerMinute);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The interval between two requests.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Requests let through so far (retries included).</summary>
    public int Sent => Volatile.Read(ref _sent);

    /// <summary>Waits until the next request may go, and counts it.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetTimestamp();
            if (_next > now)
            {
                await Task.Delay(_time.GetElapsedTime(now, _next), _time, cancellationToken).ConfigureAwait(false);
                now = _time.GetTimestamp();
            }
            _next = now + (long)(Interval.TotalSeconds * _time.TimestampFrequency);
            Interlocked.Increment(ref _sent);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();
}
