using System.Net;
using ServiceRequests.IO;

namespace ServiceRequests.Http;

/// <summary>
/// An <see cref="HttpClient"/> handler that makes every call bounded and patient: a timeout per
/// attempt, and retries of transient failures (timeouts, connection errors, 408, 429, 500, 502,
/// 503, 504) with exponential backoff and full jitter, honouring <c>Retry-After</c>. Other
/// responses (including 4xx errors) are returned to the caller to interpret. When every attempt
/// fails, the last response is returned, or an <see cref="HttpRequestException"/> naming the
/// address (without credentials) and the cause is thrown.
/// </summary>
internal sealed class RetryHandler : DelegatingHandler
{
    private readonly RetryOptions _options;

    /// <summary>Creates the handler over <paramref name="inner"/> (default: a new <see cref="SocketsHttpHandler"/>).</summary>
    public RetryHandler(RetryOptions? options = null, HttpMessageHandler? inner = null)
        : base(inner ?? new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        _options = options ?? new RetryOptions();
        if (_options.MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxAttempts must be at least 1.");
        }
    }

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var retryable = _options.RetryNonIdempotent || IsIdempotent(request.Method);
        for (var attempt = 1; ; attempt++)
        {
            var last = attempt >= _options.MaxAttempts || !retryable;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.AttemptTimeout);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, timeout.Token).ConfigureAwait(false);
                if (_options.BufferResponseBody)
                {
                    // Read the body within the same attempt, so a stalled or cut body also times out and retries.
#if NET9_0_OR_GREATER
                    await response.Content.LoadIntoBufferAsync(timeout.Token).ConfigureAwait(false);
#else
                    await response.Content.LoadIntoBufferAsync().WaitAsync(timeout.Token).ConfigureAwait(false);
#endif
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                var reason = $"no complete response within {_options.AttemptTimeout.TotalSeconds:0.#} s";
                if (last)
                {
                    throw new ServiceRequestsException($"{request.Method} {SafeUri.Of(request.RequestUri)}: {reason} (attempt {attempt} of {_options.MaxAttempts}).");
                }
                await WaitAsync(attempt, Backoff(attempt), reason, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                var reason = Secrets.Scrub(e.Message);
                if (last)
                {
                    throw new ServiceRequestsException($"{request.Method} {SafeUri.Of(request.RequestUri)}: {reason} (attempt {attempt} of {_options.MaxAttempts}).", e);
                }
                await WaitAsync(attempt, Backoff(attempt), reason, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (last || !IsTransient(response.StatusCode))
            {
                return response;
            }
            var wait = Backoff(attempt);
            if (RetryAfter(response) is { } after)
            {
                if (after > _options.MaxRetryAfter)
                {
                    return response;
                }
                wait = after;
            }
            var status = Secrets.Scrub($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            response.Dispose();
            await WaitAsync(attempt, wait, status, cancellationToken).ConfigureAwait(false);
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

    private static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put
        || method == HttpMethod.Delete || method == HttpMethod.Options;
}
