namespace ServiceRequests.SeeClickFix;

/// <summary>
/// Spaces requests evenly at a rate per minute (a token bucket of one token), so that a long
/// run stays under the API's limit instead of running into 429s. Sits under the
/// <see cref="Http.RetryHandler"/>, so retries are paced too. Counts every request it lets through.
/// </summary>
internal sealed class RequestPacer : DelegatingHandler
{
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _next;
    private int _sent;

    public RequestPacer(double requestsPerMinute, HttpMessageHandler inner, TimeProvider? time = null)
        : base(inner)
    {
        if (!(requestsPerMinute > 0) || double.IsInfinity(requestsPerMinute))
        {
            throw new ArgumentOutOfRangeException(nameof(requestsPerMinute), requestsPerMinute, "The rate must be a positive number of requests per minute.");
        }
        _interval = TimeSpan.FromMinutes(1 / requestsPerMinute);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The interval between two requests.</summary>
    public TimeSpan Interval => _interval;

    /// <summary>Requests sent so far (retries included).</summary>
    public int Sent => Volatile.Read(ref _sent);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
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
            _next = now + (long)(_interval.TotalSeconds * _time.TimestampFrequency);
            Interlocked.Increment(ref _sent);
        }
        finally
        {
            _gate.Release();
        }
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }
        base.Dispose(disposing);
    }
}
