using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ServiceRequests.Http;
using ServiceRequests.IO;

namespace ServiceRequests.SeeClickFix;

/// <summary>
/// A client for the SeeClickFix v2 issues list, public (<c>/issues?place_url=...</c>) or
/// organization (<c>/organizations/{id}/issues</c>). Every request goes through
/// <see cref="RetryHandler"/> (per-attempt timeout; 429, 5xx, timeouts and cut connections
/// retried with backoff and jitter, honouring <c>Retry-After</c>) and is paced to
/// <see cref="SeeClickFixOptions.RequestsPerMinute"/>. Credentials travel only in the
/// <c>Authorization</c> header, never to another host, and never appear in a message.
/// </summary>
internal sealed class SeeClickFixClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly RequestPacer _pacer;
    private readonly IDisposable _secrets;

    /// <summary>
    /// Creates a client for the API at <paramref name="baseUrl"/>: the site (<c>https://seeclickfix.com</c>)
    /// or its API root (<c>https://seeclickfix.com/api/v2</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The address is not absolute http(s), or carries credentials.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not a number from 0.01 (one request every 100 minutes) up, or the retry options are out of range.</exception>
    public SeeClickFixClient(Uri baseUrl, SeeClickFixOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The base URL must be an absolute http(s) address such as https://seeclickfix.com (got '{SafeUri.Of(baseUrl)}').", nameof(baseUrl));
        }
        if (baseUrl.UserInfo.Length > 0)
        {
            throw new ArgumentException(
                $"Do not put credentials in the address; set {SeeClickFixOptions.TokenVariable}, or {SeeClickFixOptions.UserVariable} and {SeeClickFixOptions.PasswordVariable}.", nameof(baseUrl));
        }
        Options = options ?? new SeeClickFixOptions();
        _secrets = Secrets.Register(Options.Credentials, Options.Token);
        var path = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        ApiRoot = new Uri(path.EndsWith("/api/v2", StringComparison.OrdinalIgnoreCase) ? path + "/" : path + "/api/v2/");
        _pacer = new RequestPacer(Options.RequestsPerMinute);
        var handler = new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
        };
        _http = new HttpClient(new RetryHandler(Options.Retry, handler, _pacer)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The API root, ending in <c>/api/v2/</c>.</summary>
    public Uri ApiRoot { get; }

    /// <summary>The options in use.</summary>
    public SeeClickFixOptions Options { get; }

    /// <summary>HTTP requests sent so far, retries included (the API's limit counts them all).</summary>
    public int RequestsSent => _pacer.Sent;

    /// <summary>The pause between two requests at the configured rate.</summary>
    public TimeSpan RequestInterval => _pacer.Interval;

    /// <summary>Gets page <paramref name="page"/> of <paramref name="query"/>.</summary>
    /// <inheritdoc cref="GetPageAsync(Uri, int, bool, CancellationToken)" path="/exception"/>
    public Task<IssuePage> GetPageAsync(IssueQuery query, int page = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return GetPageAsync(query.ToUri(ApiRoot, page), page, query.Organization is not null, cancellationToken);
    }

    /// <summary>
    /// Gets the page at <paramref name="address"/> (a <see cref="IssuePage.NextPageUrl"/>), and
    /// checks it holds what its metadata promises: a full page unless it is the last, and on the
    /// last page the rest of <c>entries</c>.
    /// </summary>
    /// <param name="address">The page's address; it must be on the API's host.</param>
    /// <param name="page">The page number, for messages.</param>
    /// <param name="organization">Whether this is the organization endpoint, for advice in errors.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="SeeClickFixException">The API refused the request (401, 403, 404, or 429/5xx after the retries).</exception>
    /// <exception cref="ServiceRequestsException">The API could not be reached after the retries.</exception>
    /// <exception cref="ServiceRequestsException">The body is not a page of issues, or does not hold what its metadata says; the message names the page and the byte or field.</exception>
    /// <exception cref="ServiceRequestsException">The address is on another host than the API (credentials would leak), or credentials would travel unencrypted.</exception>
    public async Task<IssuePage> GetPageAsync(Uri address, int page, bool organization, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (Uri.Compare(address, ApiRoot, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
        {
            throw new ServiceRequestsException($"Page {page}: the API pointed to {SafeUri.Of(address)}, which is not on {SafeUri.Of(ApiRoot)}; refusing to send credentials there.");
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.UserAgent.ParseAdd(Options.UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (Options.HasCredentials)
        {
            if (address.Scheme != Uri.UriSchemeHttps && !address.IsLoopback)
            {
                throw new ServiceRequestsException($"Refusing to send credentials unencrypted to {address.Host}: use the https:// address.");
            }
            request.Headers.Authorization = Options.Token is { } token
                ? new AuthenticationHeaderValue("Bearer", token)
                : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Options.Credentials!.UserName}:{Options.Credentials.Password}")));
        }
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        // 202 "still processing" after every retry is not a page to read.
        if (!response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Accepted)
        {
            throw Refused(response, body, address, page, organization);
        }
        var result = IssueJson.ParsePage(body, address, page);
        Check(result, page);
        return result;
    }

    private static void Check(IssuePage result, int page)
    {
        var expected = result.NextPageUrl is not null
            ? result.PerPage
            : Math.Max(0, result.Entries - (long)(result.Page - 1) * result.PerPage);
        if (result.Issues.Count != expected || result.Issues.Count > result.PerPage)
        {
            throw new ServiceRequestsException(
                $"page {page} ({SafeUri.Of(result.Address)}) holds {result.Issues.Count} issues, but its metadata (entries {result.Entries}, page {result.Page}, per_page {result.PerPage}, " +
                $"{(result.NextPageUrl is null ? "last page" : "more pages")}) says {expected}. The list changed or was cut while paging; run the sync again.");
        }
    }

    private static SeeClickFixException Refused(HttpResponseMessage response, byte[] body, Uri address, int page, bool organization)
    {
        string? message = null;
        using (var json = ServerAnswer.ParseObject(body))
        {
            if (json is not null)
            {
                foreach (var name in new[] { "message", "error", "errors" })
                {
                    if (json.RootElement.TryGetProperty(name, out var value) && value.ValueKind is not JsonValueKind.Null)
                    {
                        message = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                        break;
                    }
                }
            }
        }
        // Scrubbed before it is cut, so that no part of a secret survives the cut.
        message = message is null ? null : Secrets.Scrub(message);
        if (message is null && Secrets.Scrub(Encoding.UTF8.GetString(body)).Trim() is { Length: > 0 } start)
        {
            message = ServerAnswer.Start(start);
        }
        var status = (int)response.StatusCode;
        var text = $"SeeClickFix answered HTTP {status} {response.ReasonPhrase} to GET {SafeUri.Of(address)} (page {page})";
        text += message is null ? "." : $": {message.TrimEnd('.')}.";
        return new SeeClickFixException(text + " " + SeeClickFixException.Advice(response.StatusCode, organization), response.StatusCode, page, message);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _http.Dispose();
        _pacer.Dispose();
        _secrets.Dispose();
    }
}
