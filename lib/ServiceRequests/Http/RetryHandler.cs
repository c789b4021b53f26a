using System.Diagnostics;
using System.Globalization;
using System.Net;
using ServiceRequests.IO;

namespace ServiceRequests.Http;

/// <summary>
/// An <see cref="HttpClient"/> handler that makes every call bounded and patient: a timeout per
/// attempt (headers and body), a deadline for the whole request (every attempt and wait), and
/// retries of transient failures (timeouts, connection errors, 408, 429, 500, 502, 503, 504, and
/// 202 "still processing" to a GET) with exponential backoff and full jitter, honouring
/// <c>Retry-After</c>. Each retry is announced through <see cref="RetryOptions.OnRetry"/> before
/// its wait. Other responses (including 4xx errors) are returned to the caller to interpret. When
/// every attempt fails, the last response is returned, or a <see cref="ServiceRequestsException"/>
/// naming the address (without credentials) and the cause is thrown. A <see cref="RequestPacer"/>,
/// if given, is waited for before every attempt, outside its timeout and the deadline.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    private readonly RetryOptions _options;
    private readonly RequestPacer? _pacer;

    /// <summary>Creates the handler over <paramref name="inner"/> (default: a new <see cref="SocketsHttpHandler"/>), paced by <paramref name="pacer"/> if given.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one attempt, or a timeout or deadline that is not positive.</exception>
    public RetryHandler(RetryOptions? options = null, HttpMessageHandler? inner = null, RequestPacer? pacer = null)
        : base(inner ?? new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        _options = options ?? new RetryOptions();
        _options.Validate();
        _pacer = pacer;
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var retryable = _options.RetryNonIdempotent || IsIdempotent(request.Method);
        var deadline = _options.Deadline > _options.AttemptTimeout ? _options.Deadline : _options.AttemptTimeout;
        // Time spent on this request: attempts as measured, waits as asked for (a test's Delay does not sleep).
        var spent = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            if (_pacer is not null)
            {
                await _pacer.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            var left = deadline - spent;
            var limit = left < _options.AttemptTimeout ? left : _options.AttemptTimeout;
            var last = attempt >= _options.MaxAttempts || !retryable;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(limit);
            var watch = Stopwatch.StartNew();
            HttpResponseMessage response;
            string reason;
            try
            {
                response = await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
                if (_options.BufferResponseBody)
                {
                    // Read the body within the same attempt, so a stalled, trickling or cut body also times out and retries.
#if NET9_0_OR_GREATER
                    await response.Content.LoadIntoBufferAsync(timeout.Token).ConfigureAwait(false);
#else
                    await response.Content.LoadIntoBufferAsync().WaitAsync(timeout.Token).ConfigureAwait(false);
#endif
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                spent += watch.Elapsed;
                reason = string.Create(CultureInfo.InvariantCulture, $"no complete response within {limit.TotalSeconds:0.#} s");
                await RetryOrThrowAsync(attempt, last, reason, Backoff(attempt), null).ConfigureAwait(false);
                continue;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                spent += watch.Elapsed;
                reason = Secrets.Scrub(e.Message);
                await RetryOrThrowAsync(attempt, last, reason, Backoff(attempt), e).ConfigureAwait(false);
                continue;
            }
            spent += watch.Elapsed;

            if (last || !IsTransient(request.Method, response.StatusCode))
            {
                return response;
            }
            var wait = Backoff(attempt);
            if (RetryAfter(response) is { } after)
            {
                if (after > _options.MaxRetryAfter || spent + after >= deadline)
                {
                    return response;
                }
                wait = after;
            }
            if (spent + wait >= deadline)
            {
                return response;
            }
            reason = Secrets.Scrub($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            response.Dispose();
            await WaitAsync(attempt, wait, reason, cancellationToken).ConfigureAwait(false);
            spent += wait;
        }

        async Task RetryOrThrowAsync(int attempt, bool last, string reason, TimeSpan wait, Exception? cause)
        {
            if (last || spent + wait >= deadline)
            {
                var why = last
                    ? $"attempt {attempt} of {_options.MaxAttempts}"
                    : string.Create(CultureInfo.InvariantCulture, $"attempt {attempt}; no time left for another within the request's deadline of {deadline.TotalSeconds:0.#} s");
                throw new ServiceRequestsException($"{request.Method} {SafeUri.Of(request.RequestUri)}: {reason} ({why}).", cause);
            }
            await WaitAsync(attempt, wait, reason, cancellationToken).ConfigureAwait(false);
            spent += wait;
        }
    }

    private async Task WaitAsync(int attempt, TimeSpan wait, string reason, CancellationToken cancellationToken)
    {
        _options.OnRetry?.Invoke(attempt, wait, reason);
        await _options.Delay(wait, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Full-jitter exponential backoff: a random wait up to base × 2^(attempt−1), capped.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_options.MaxDelay.TotalMilliseconds, _options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        double unit;
        lock (_options.Jitter)
        {
            unit = _options.Jitter.NextDouble();
        }
        return TimeSpan.FromMilliseconds(ceiling / 2 + unit * ceiling / 2);
    }

    /// <summary>The wait a response asks for in <c>Retry-After</c> (seconds or an HTTP date), if any.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    /// <summary>
    /// Whether the answer asks to be tried again: the usual transient statuses, and 202 to a GET
    /// (Socrata's "request processing": the same request later gets the result).
    /// </summary>
    private static bool IsTransient(HttpMethod method, HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
        || (status == HttpStatusCode.Accepted && (method == HttpMethod.Get || method == HttpMethod.Head));

    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put
        || method == HttpMethod.Delete || method == HttpMethod.Options;
}
