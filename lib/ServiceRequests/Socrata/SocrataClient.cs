using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;
using ServiceRequests.Http;
using ServiceRequests.IO;
using ServiceRequests.Portal;

namespace ServiceRequests.Socrata;

/// <summary>
/// A small client for a Socrata portal's SODA 2.x resource endpoint
/// (<c>{portal}/resource/{id}.json</c>): typed, paged loads into DataFrames, and upserts.
/// Every request goes through <see cref="RetryHandler"/> (timeouts; 429 and 5xx retried with
/// backoff, honouring <c>Retry-After</c>). The app token travels only in the <c>X-App-Token</c>
/// header and the password only in the <c>Authorization</c> header: neither is ever put in an
/// address, a log line or an exception message.
/// </summary>
internal sealed partial class SocrataClient : IDisposable
{
    private readonly HttpClient _read;
    private readonly Lazy<HttpClient> _write;
    private readonly IDisposable _secrets;

    /// <summary>Creates a client for the portal at <paramref name="portal"/> (e.g. <c>https://data.detroitmi.gov/</c>).</summary>
    /// <exception cref="ArgumentException">The address is not an absolute http(s) address, or carries credentials.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The page size is not 1–50,000.</exception>
    public SocrataClient(Uri portal, SocrataClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(portal);
        if (!portal.IsAbsoluteUri || (portal.Scheme != Uri.UriSchemeHttps && portal.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"The portal address must be an absolute http(s) address (got '{SafeUri.Of(portal)}').", nameof(portal));
        }
        if (portal.UserInfo.Length > 0)
        {
            throw new ArgumentException(
                $"Do not put credentials in the portal address; set {SocrataClientOptions.UsernameVariable} and {SocrataClientOptions.PasswordVariable} instead.", nameof(portal));
        }
        Options = options ?? new SocrataClientOptions();
        if (Options.PageSize is < 1 or > SocrataClientOptions.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.PageSize, $"The page size must be 1 to {SocrataClientOptions.MaxPageSize:N0}.");
        }
        _secrets = Secrets.Register(Options.Credentials, Options.AppToken);
        Portal = new Uri(portal.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
        _read = new HttpClient(new RetryHandler(Options.Retry)) { Timeout = Timeout.InfiniteTimeSpan };
        // Upserts keyed by row identifier are idempotent, so they alone may be repeated after a failure.
        _write = new Lazy<HttpClient>(() =>
            new HttpClient(new RetryHandler(Options.Retry with { RetryNonIdempotent = true })) { Timeout = Timeout.InfiniteTimeSpan });
    }

    /// <summary>The portal's base address, ending in <c>/</c>.</summary>
    public Uri Portal { get; }

    /// <summary>The options in use.</summary>
    public SocrataClientOptions Options { get; }

    /// <summary>The resource endpoint of a dataset: <c>{portal}/resource/{id}.json</c>.</summary>
    /// <exception cref="ArgumentException">The id is not a Socrata 4x4 id such as <c>abcd-1234</c>.</exception>
    public Uri ResourceUri(string datasetId) => new(Portal, $"resource/{CheckDatasetId(datasetId)}.json");

    /// <summary>
    /// Loads every row <paramref name="query"/> selects into a typed DataFrame, page by page
    /// (<see cref="SocrataClientOptions.PageSize"/> rows per request), stopping at the first short
    /// page. Without an <c>$order</c> or <c>$offset</c> of its own (and without aggregates), the
    /// query is paged by the <c>:id</c> key (<c>$order=:id</c>, each next page
    /// <c>$where=... AND :id &gt; 'last'</c>), so rows another writer deletes or inserts meanwhile
    /// never shift a page: every row that was there all along is read exactly once. Otherwise it
    /// is paged by <c>$offset</c>, ordered by its <c>$order</c> with <c>:id</c> appended. Each page is
    /// parsed as it arrives; only one page of JSON is held at a time.
    /// </summary>
    /// <param name="datasetId">The dataset's 4x4 id.</param>
    /// <param name="query">What to select (default: every row and field).</param>
    /// <param name="columns">
    /// A fixed shape: the frame has exactly these columns, each field's Socrata type (from the
    /// <c>X-SODA2-Types</c> header) must fit its column, and fields not named are skipped. When
    /// null, the columns come from the response headers: the portal schema's columns (typed as
    /// <see cref="PortalSchema.FrameColumns"/>) first, then every other field typed from its
    /// Socrata type; without headers, the portal schema.
    /// </param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <exception cref="SocrataException">The portal refused a request (bad query, unknown dataset, throttled after retries, ...).</exception>
    /// <exception cref="ServiceRequestsException">The portal could not be reached after the retries.</exception>
    /// <exception cref="ServiceRequestsException">A page is not a JSON array of rows, or a value does not fit its column; the message names the page, row, field and byte.</exception>
    public async Task<DataFrame> LoadAsync(string datasetId, SoqlQuery? query = null, IReadOnlyList<ColumnSpec>? columns = null,
        CancellationToken cancellationToken = default)
    {
        query ??= new SoqlQuery();
        var resource = ResourceUri(datasetId);
        if (ByKey(query))
        {
            return await LoadByKeyAsync(resource, query, columns, cancellationToken).ConfigureAwait(false);
        }
        var paged = query with { Order = StableOrder(query.Order) };
        var offset = query.Offset ?? 0;
        var remaining = query.Limit ?? long.MaxValue;
        FrameBuilder? builder = null;
        FrameBuilder Builder(IReadOnlyList<(string Field, string Type)>? header, string source) =>
            builder ??= CreateBuilder(header, columns, source, (int)Math.Min(Options.PageSize, Math.Max(remaining, 16)));
        for (var page = 1; remaining > 0; page++)
        {
            var ask = (int)Math.Min(Options.PageSize, remaining);
            var read = await ReadPageAsync(resource, paged with { Limit = ask, Offset = offset }, page, Builder, cancellationToken).ConfigureAwait(false);
            offset += read;
            remaining -= read;
            if (read < ask)
            {
                break;
            }
        }
        return (builder ?? CreateBuilder(null, columns, SafeUri.Of(resource), 16)).ToDataFrame();
    }

    /// <summary>Whether a query can be paged by the <c>:id</c> key: no order but <c>:id</c>'s, no offset, no aggregate.</summary>
    private static bool ByKey(SoqlQuery query) =>
        (string.IsNullOrWhiteSpace(query.Order) || query.Order.Trim() is SystemId || query.Order.Trim().Equals($"{SystemId} ASC", StringComparison.OrdinalIgnoreCase))
        && query.Offset is null or 0
        && query.Select?.Contains('(', StringComparison.Ordinal) != true;

    /// <summary>The keyset paging of <see cref="LoadAsync"/>: by <c>:id</c>, each page after the last row's <c>:id</c>.</summary>
    private async Task<DataFrame> LoadByKeyAsync(Uri resource, SoqlQuery query, IReadOnlyList<ColumnSpec>? columns, CancellationToken cancellationToken)
    {
        // The key must come back with every row; it is dropped again unless the query asked for it.
        var asked = query.Select is { } select && (select.Contains(SystemId, StringComparison.Ordinal) || select.Contains(":*", StringComparison.Ordinal));
        var keyed = query with
        {
            Select = query.Select is null ? $"{SystemId}, *" : asked ? query.Select : $"{query.Select}, {SystemId}",
            Order = SystemId,
            Offset = null,
            Limit = null,
        };
        var remaining = query.Limit ?? long.MaxValue;
        FrameBuilder? builder = null;
        FrameBuilder Builder(IReadOnlyList<(string Field, string Type)>? header, string source) =>
            builder ??= CreateBuilder(header, columns, source, (int)Math.Min(Options.PageSize, Math.Max(remaining, 16)), new ColumnSpec(SystemId, ColumnType.Text));
        var page = keyed;
        for (var number = 1; remaining > 0; number++)
        {
            var ask = (int)Math.Min(Options.PageSize, remaining);
            var read = await ReadPageAsync(resource, page with { Limit = ask }, number, Builder, cancellationToken).ConfigureAwait(false);
            remaining -= read;
            if (read < ask)
            {
                break;
            }
            var last = builder!.GetText(builder.IndexOf(SystemId), builder.RowCount - 1)
                ?? throw new ServiceRequestsException($"{SafeUri.Of(resource)} (page {number}): the last row has no :id, so the next page cannot be asked for.");
            page = keyed.And($"{SystemId} > {Soql.Text(last)}");
        }
        var frame = (builder ?? CreateBuilder(null, columns, SafeUri.Of(resource), 16, null)).ToDataFrame();
        if (!asked && frame.Columns.IndexOf(SystemId) >= 0)
        {
            frame.Columns.Remove(SystemId);
        }
        return frame;
    }

    /// <summary>
    /// Reads the dataset's metadata (<c>GET {portal}/api/views/{id}.json</c>), with the publishing
    /// account when one is set (a private dataset shows its metadata only to it).
    /// </summary>
    /// <exception cref="SocrataException">The portal refused the request (unknown dataset, no access, ...).</exception>
    /// <exception cref="ServiceRequestsException">The portal could not be reached after the retries, or the answer is not the dataset's metadata.</exception>
    public async Task<DatasetMetadata> GetMetadataAsync(string datasetId, CancellationToken cancellationToken = default)
    {
        var address = new Uri(Portal, $"api/views/{CheckDatasetId(datasetId)}.json");
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        AddCommonHeaders(request);
        if (Options.Credentials is { } credentials && (Portal.Scheme == Uri.UriSchemeHttps || Portal.IsLoopback))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicCredentials(credentials));
        }
        using var response = await _read.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var what = $"GET {SafeUri.Of(address)}";
        if (!response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.Accepted)
        {
            throw await SocrataException.FromResponseAsync(response, what, null, Secrets.Scrub, cancellationToken).ConfigureAwait(false);
        }
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return DatasetMetadata.Parse(body, $"{what} (the dataset's metadata)");
    }

    /// <summary>
    /// Upserts a batch: POSTs <paramref name="rows"/> (a JSON array of row objects keyed by the
    /// dataset's row identifier; <c>{"id": "...", ":deleted": true}</c> deletes) with HTTP Basic
    /// authentication from <see cref="SocrataClientOptions.Credentials"/>. Repeated after a failure
    /// (the same rows by the same identifiers change nothing more).
    /// </summary>
    /// <returns>The portal's report of the batch.</returns>
    /// <exception cref="ServiceRequestsException">No credentials are set, or the portal is plain http on another machine (the password would travel unencrypted).</exception>
    /// <exception cref="SocrataException">The portal refused the batch (bad credentials, unknown dataset, malformed rows, ...).</exception>
    /// <exception cref="ServiceRequestsException">The portal could not be reached after the retries.</exception>
    /// <exception cref="ServiceRequestsException">The portal answered with something other than its upsert report.</exception>
    public async Task<UpsertResult> UpsertAsync(string datasetId, ReadOnlyMemory<byte> rows, CancellationToken cancellationToken = default)
    {
        var resource = ResourceUri(datasetId);
        var credentials = Options.Credentials ?? throw new ServiceRequestsException(
            $"Publishing needs an account: set the {SocrataClientOptions.UsernameVariable} and {SocrataClientOptions.PasswordVariable} environment variables.");
        if (Portal.Scheme != Uri.UriSchemeHttps && !Portal.IsLoopback)
        {
            throw new ServiceRequestsException($"Refusing to send the password unencrypted to {Portal.Host}: use the portal's https:// address.");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, resource) { Content = new ReadOnlyMemoryContent(rows) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicCredentials(credentials));
        AddCommonHeaders(request);
        using var response = await _write.Value.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var what = $"POST {SafeUri.Of(resource)}";
        if (!response.IsSuccessStatusCode)
        {
            throw await SocrataException.FromResponseAsync(response, what, null, Secrets.Scrub, cancellationToken).ConfigureAwait(false);
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using (var json = ServerAnswer.ParseObject(body))
        {
            if (json?.RootElement is { } root && (root.TryGetProperty("Rows Created", out _) || root.TryGetProperty("Rows Updated", out _)
                || root.TryGetProperty("Rows Deleted", out _) || root.TryGetProperty("Errors", out _)))
            {
                return new UpsertResult(Count(root, "Rows Created"), Count(root, "Rows Updated"), Count(root, "Rows Deleted"), Count(root, "Errors"));
            }
        }
        throw new ServiceRequestsException($"{what} answered with something other than an upsert report: {ServerAnswer.Start(Secrets.Scrub(body))}");
    }

    /// <summary>
    /// Loads the rows changed after <paramref name="since"/> (all rows when null) that match
    /// <paramref name="filter"/>, with <c>$select=:*, *</c>, ordered by <c>:updated_at, :id</c> and
    /// paged by that key rather than by offset, so a row that changes during the pull moves
    /// behind the cursor instead of shifting the pages. The frame has <paramref name="columns"/>
    /// and the system fields <c>:id</c> and <c>:updated_at</c> as text.
    /// </summary>
    internal async Task<DataFrame> LoadChangesAsync(string datasetId, SoqlQuery filter, DateTimeOffset? since,
        IReadOnlyList<ColumnSpec> columns, CancellationToken cancellationToken)
    {
        var resource = ResourceUri(datasetId);
        var all = columns.Concat([new ColumnSpec(SystemId, ColumnType.Text), new ColumnSpec(SystemUpdatedAt, ColumnType.Text)]).ToList();
        var keyed = filter with { Select = ":*, *", Order = ":updated_at, :id", Limit = null, Offset = null };
        if (since is { } point)
        {
            keyed = keyed.ChangedSince(point);
        }
        FrameBuilder? builder = null;
        FrameBuilder Builder(IReadOnlyList<(string Field, string Type)>? header, string source)
        {
            if (header is not null)
            {
                SodaFields.Check(header, columns, source);
            }
            return builder ??= new FrameBuilder(all, Options.PageSize);
        }
        var page = keyed;
        for (var number = 1; ; number++)
        {
            var read = await ReadPageAsync(resource, page with { Limit = Options.PageSize }, number, Builder, cancellationToken).ConfigureAwait(false);
            if (read < Options.PageSize)
            {
                break;
            }
            var last = builder!.RowCount - 1;
            var updated = builder.GetText(all.Count - 1, last);
            var id = builder.GetText(all.Count - 2, last);
            if (updated is null || id is null)
            {
                throw new ServiceRequestsException($"{SafeUri.Of(resource)} (page {number}): the last row has no :updated_at or :id, so the next page cannot be asked for.");
            }
            page = keyed.And($":updated_at > {Soql.Text(updated)} OR (:updated_at = {Soql.Text(updated)} AND :id > {Soql.Text(id)})");
        }
        return (builder ?? new FrameBuilder(all, 16)).ToDataFrame();
    }

    /// <summary>The system field of Socrata's internal row id.</summary>
    internal const string SystemId = ":id";

    /// <summary>The system field of when Socrata last changed a row (a fixed timestamp).</summary>
    internal const string SystemUpdatedAt = ":updated_at";

    /// <inheritdoc/>
    public void Dispose()
    {
        _read.Dispose();
        _secrets.Dispose();
        if (_write.IsValueCreated)
        {
            _write.Value.Dispose();
        }
    }

    private async Task<int> ReadPageAsync(Uri resource, SoqlQuery query, int page,
        Func<IReadOnlyList<(string Field, string Type)>?, string, FrameBuilder> builder, CancellationToken cancellationToken)
    {
        var uri = new Uri(resource, "?" + query.ToQueryString());
        var source = $"{SafeUri.Of(resource)} (page {page})";
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        AddCommonHeaders(request);
        using var response = await _read.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // 202 "request processing" is not the rows: after the retries it is an error, never an empty page.
        if (!response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.Accepted)
        {
            throw await SocrataException.FromResponseAsync(response, $"GET {SafeUri.Of(resource)} (page {page})", query, Secrets.Scrub, cancellationToken).ConfigureAwait(false);
        }
        var header = Header(response, source);
        var target = builder(header, source);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var read = await new SodaJsonReader(target, source).ReadAsync(stream, cancellationToken).ConfigureAwait(false);
            Options.Log?.Invoke($"{SafeUri.Of(resource)}: page {page}: {read:N0} rows ({target.RowCount:N0} in all)");
            return read;
        }
    }

    private void AddCommonHeaders(HttpRequestMessage request)
    {
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ServiceRequests", "1.0"));
        if (Options.AppToken is { } token)
        {
            request.Headers.Add("X-App-Token", token);
        }
    }

    private static IReadOnlyList<(string Field, string Type)>? Header(HttpResponseMessage response, string source)
    {
        if (response.Headers.TryGetValues(SodaFields.FieldsHeader, out var fields) && response.Headers.TryGetValues(SodaFields.TypesHeader, out var types))
        {
            try
            {
                return SodaFields.Parse(string.Join(',', fields), string.Join(',', types));
            }
            catch (ServiceRequestsException e)
            {
                throw new ServiceRequestsException($"{source}: {e.Message}", e);
            }
        }
        return null;
    }

    /// <summary>The frame builder for <paramref name="columns"/> (or the header's), with <paramref name="key"/> added when it is missing.</summary>
    private static FrameBuilder CreateBuilder(IReadOnlyList<(string Field, string Type)>? header, IReadOnlyList<ColumnSpec>? columns, string source, int capacity,
        ColumnSpec? key = null)
    {
        if (columns is not null && header is not null)
        {
            SodaFields.Check(header, columns, source);
        }
        IReadOnlyList<ColumnSpec> specs = columns ?? (header is null ? PortalSchema.FrameColumns : SodaFields.Columns(header, PortalSchema.FrameColumns));
        if (key is not null && !specs.Any(c => c.Name == key.Name))
        {
            specs = [.. specs, key];
        }
        return new FrameBuilder(specs, capacity);
    }

    /// <summary>The query's order with <c>:id</c> appended when missing, so that paging is stable.</summary>
    private static string StableOrder(string? order)
    {
        if (string.IsNullOrWhiteSpace(order))
        {
            return SystemId;
        }
        var hasId = order.Split(',').Any(term => term.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries) is [SystemId, ..]);
        return hasId ? order : $"{order}, {SystemId}";
    }

    private static string BasicCredentials(System.Net.NetworkCredential credentials) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.UserName}:{credentials.Password}"));

    private static long Count(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) ? 0
        : value.ValueKind == JsonValueKind.Number ? value.GetInt64()
        : value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
        : throw new ServiceRequestsException($"The upsert report's '{name}' is not a count: {value.GetRawText()}");

    private static string CheckDatasetId(string datasetId)
    {
        ArgumentNullException.ThrowIfNull(datasetId);
        return DatasetIdPattern().IsMatch(datasetId)
            ? datasetId
            : throw new ArgumentException($"'{datasetId}' is not a Socrata dataset id (four letters or digits, a dash, four more: abcd-1234).", nameof(datasetId));
    }

    [GeneratedRegex(@"^[a-z0-9]{4}-[a-z0-9]{4}\z", RegexOptions.CultureInvariant)]
    private static partial Regex DatasetIdPattern();
}
