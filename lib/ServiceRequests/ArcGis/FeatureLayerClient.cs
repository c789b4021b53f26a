using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;
using ServiceRequests.Http;
using ServiceRequests.IO;
using ServiceRequests.Portal;

namespace ServiceRequests.ArcGis;

/// <summary>
/// Reads an ArcGIS FeatureServer layer (e.g. Detroit's <c>…/improve_detroit/FeatureServer/0</c>)
/// into the portal-shaped DataFrame (<see cref="PortalSchema.FrameColumnNames"/>), so metrics and
/// notebooks work on it unchanged. A load reads the layer's metadata (<c>?f=json</c>: fields,
/// object id field, <c>maxRecordCount</c>), counts the matching features, then pages through
/// <c>{layer}/query</c> ordered by the object id with <c>resultOffset</c> / <c>resultRecordCount</c>
/// while the answer says <c>exceededTransferLimit</c>, parsing each page straight into typed columns.
/// Every request goes through <see cref="RetryHandler"/>. ArcGIS's error bodies (HTTP 200 with
/// <c>{"error": ...}</c>) become <see cref="ArcGisException"/>s. The token travels only in the
/// <c>X-Esri-Authorization</c> header, never in an address, log line or exception.
/// </summary>
internal sealed partial class FeatureLayerClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly IDisposable _secrets;

    /// <summary>Creates a client for the layer at <paramref name="layer"/> (<c>…/FeatureServer/{n}</c>; a trailing <c>/query</c> and any query string are dropped).</summary>
    /// <exception cref="ArgumentException">The address is not an http(s) FeatureServer layer address, carries credentials or a token, or is plain http on another machine while a token is set.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The page size is less than 1.</exception>
    public FeatureLayerClient(Uri layer, FeatureLayerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        Layer = CheckLayer(layer);
        Options = options ?? new FeatureLayerOptions();
        if (Options.PageSize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Options.PageSize, "The page size must be 1 or more.");
        }
        if (Options.Token is not null && Layer.Scheme != Uri.UriSchemeHttps && !Layer.IsLoopback)
        {
            throw new ArgumentException($"Refusing to send the token unencrypted to {Layer.Host}: use the layer's https:// address.", nameof(layer));
        }
        _secrets = Secrets.Register(null, Options.Token);
        _http = new HttpClient(new RetryHandler(Options.Retry)) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The layer's address, <c>…/FeatureServer/{n}</c>, without a trailing slash.</summary>
    public Uri Layer { get; }

    /// <summary>The options in use.</summary>
    public FeatureLayerOptions Options { get; }

    /// <summary>Whether <paramref name="address"/> is an http(s) FeatureServer layer address (<c>…/FeatureServer/{n}</c>, optionally <c>/query</c>).</summary>
    public static bool IsLayerAddress(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && LayerPath().IsMatch(uri.AbsolutePath);

    /// <summary>Reads the layer's metadata.</summary>
    /// <exception cref="ArgumentException">See <see cref="LoadAsync"/>.</exception>
    /// <exception cref="ArcGisException">The server refused the request (unknown layer, bad token, …).</exception>
    /// <exception cref="ServiceRequestsException">The server could not be reached after the retries.</exception>
    /// <exception cref="ServiceRequestsException">The answer is not layer metadata.</exception>
    public async Task<FeatureLayerInfo> GetInfoAsync(CancellationToken cancellationToken = default)
    {
        const string what = "metadata request";
        var body = await GetAsync(new Uri(Layer + "?f=json"), what, null, cancellationToken).ConfigureAwait(false);
        var info = FeatureLayerInfo.Parse(body, $"{SafeUri.Of(Layer)} ({what})", out var error);
        return info ?? throw ArcGisException.FromError(error!.Value, HttpStatusCode.OK, $"{what} of {SafeUri.Of(Layer)}", null, Secrets.Scrub);
    }

    /// <summary>How many features <paramref name="query"/> selects (<c>returnCountOnly=true</c>).</summary>
    /// <exception cref="ArcGisException">The server refused the query (e.g. a bad <c>where</c>).</exception>
    /// <exception cref="ServiceRequestsException">The server could not be reached after the retries.</exception>
    /// <exception cref="ServiceRequestsException">The answer has no count.</exception>
    public async Task<long> CountAsync(FeatureQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new FeatureQuery();
        const string what = "count query";
        var body = await GetAsync(QueryUri($"where={Escape(query.Where)}&returnCountOnly=true&f=json"), what, query.Where, cancellationToken).ConfigureAwait(false);
        using (var json = ServerAnswer.ParseObject(body))
        {
            if (json?.RootElement is { } root && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                throw ArcGisException.FromError(error, HttpStatusCode.OK, $"{what} of {SafeUri.Of(Layer)}", query.Where, Secrets.Scrub);
            }
            if (json?.RootElement is { } answer && answer.TryGetProperty("count", out var count) && count.TryGetInt64(out var n) && n >= 0)
            {
                return n;
            }
        }
        throw new ServiceRequestsException($"{SafeUri.Of(Layer)} ({what}): the answer has no count.");
    }

    /// <summary>
    /// Loads every feature <paramref name="query"/> selects (default: all) into a DataFrame with
    /// the portal's columns (<see cref="PortalSchema.FrameColumnNames"/>), filled as
    /// <see cref="FeatureLayerOptions.Fields"/> says; mapped fields the layer lacks stay null.
    /// Only one page of JSON is held at a time. Progress goes to <see cref="FeatureLayerOptions.Log"/>.
    /// </summary>
    /// <exception cref="ArcGisException">The server refused a request (bad <c>where</c>, unknown layer, bad token, throttled after retries, …); the message names the layer and the page.</exception>
    /// <exception cref="ServiceRequestsException">The server could not be reached after the retries.</exception>
    /// <exception cref="ServiceRequestsException">A page is not a query answer, or a value does not fit its column (the message names the page, feature, field and byte); or a mapped field has a type that cannot fill its column.</exception>
    /// <exception cref="ServiceRequestsException">The layer does not support paging.</exception>
    public async Task<DataFrame> LoadAsync(FeatureQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new FeatureQuery();
        var info = await GetInfoAsync(cancellationToken).ConfigureAwait(false);
        if (!info.SupportsPagination)
        {
            throw new ServiceRequestsException($"The layer {SafeUri.Of(Layer)} does not support paging (resultOffset/resultRecordCount); it cannot be read completely by this client.");
        }
        var (fields, outFields) = Plan(info);
        var pageSize = Math.Min(Options.PageSize ?? info.MaxRecordCount, info.MaxRecordCount);
        var total = await CountAsync(query, cancellationToken).ConfigureAwait(false);
        var builder = new FrameBuilder(FeatureFieldMapping.FrameColumns, (int)Math.Clamp(total, 16, 1 << 24));
        var order = Escape($"{info.ObjectIdField} ASC");
        var offset = 0L;
        for (var page = 1; ; page++)
        {
            var source = $"{SafeUri.Of(Layer)} (page {page}, offset {offset:N0})";
            var uri = QueryUri($"where={Escape(query.Where)}&outFields={Escape(outFields)}&orderByFields={order}" +
                $"&resultOffset={offset.ToString(CultureInfo.InvariantCulture)}&resultRecordCount={pageSize.ToString(CultureInfo.InvariantCulture)}&returnGeometry=false&f=json");
            var body = await GetAsync(uri, $"query (page {page})", query.Where, cancellationToken).ConfigureAwait(false);
            var read = new FeaturePageReader(builder, fields, source, Options.Zone).Read(body.Span);
            if (read.Error is { } error)
            {
                throw ArcGisException.FromError(error, HttpStatusCode.OK, $"query of {SafeUri.Of(Layer)} (page {page})", query.Where, Secrets.Scrub);
            }
            offset += read.Rows;
            Options.Log?.Invoke($"{SafeUri.Of(Layer)}: page {page}: {read.Rows:N0} features ({builder.RowCount:N0} of {total:N0})");
            if (!read.ExceededTransferLimit)
            {
                break;
            }
            if (read.Rows == 0)
            {
                throw new ServiceRequestsException($"{source}: the server says more features remain (exceededTransferLimit) but sent none; stopping rather than asking forever.");
            }
        }
        return builder.ToDataFrame();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _http.Dispose();
        _secrets.Dispose();
    }

    /// <summary>Splits a notebook source address into the layer and the query its <c>where</c> parameter gives (default everything).</summary>
    /// <exception cref="ServiceRequestsException">Not a layer address, or it carries credentials or a token.</exception>
    internal static (Uri Layer, FeatureQuery Query) ParseAddress(string address)
    {
        if (!IsLayerAddress(address))
        {
            throw new ServiceRequestsException($"'{address}' is not a FeatureServer layer address (https://…/FeatureServer/<n>).");
        }
        var uri = new Uri(address);
        var query = new FeatureQuery();
        foreach (var part in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq > 0 && part[..eq].Equals("where", StringComparison.OrdinalIgnoreCase))
            {
                query = query with { Where = Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' ')) };
            }
        }
        try
        {
            return (CheckLayer(uri), query);
        }
        catch (ArgumentException e)
        {
            throw new ServiceRequestsException(e.Message.Replace($" (Parameter 'layer')", "", StringComparison.Ordinal), e);
        }
    }

    private static Uri CheckLayer(Uri layer)
    {
        if (!layer.IsAbsoluteUri || (layer.Scheme != Uri.UriSchemeHttps && layer.Scheme != Uri.UriSchemeHttp) || !LayerPath().IsMatch(layer.AbsolutePath))
        {
            throw new ArgumentException($"'{SafeUri.Of(layer)}' is not a FeatureServer layer address: it must be http(s) and end in /FeatureServer/<layer number>.", nameof(layer));
        }
        if (layer.UserInfo.Length > 0 || layer.Query.Contains("token=", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"Do not put credentials or a token in the layer address ({SafeUri.Of(layer)}); set {FeatureLayerOptions.TokenVariable} instead.", nameof(layer));
        }
        var path = LayerPath().Match(layer.AbsolutePath).Groups["layer"].Value;
        return new Uri(layer.GetLeftPart(UriPartial.Authority) + path);
    }

    /// <summary>The reader's fields (layer spelling, builder column, is a date) and the <c>outFields</c> list.</summary>
    private (List<(string Field, int Column, bool IsDate)> Fields, string OutFields) Plan(FeatureLayerInfo info)
    {
        var fields = new List<(string Field, int Column, bool IsDate)>();
        var columns = FeatureFieldMapping.FrameColumns;
        for (var column = 0; column < columns.Count; column++)
        {
            var spec = columns[column];
            if (!Options.Fields.Fields.TryGetValue(spec.Name, out var wanted) || !info.Fields.TryGetValue(wanted, out var type))
            {
                continue;
            }
            var exact = info.Fields.Keys.First(k => string.Equals(k, wanted, StringComparison.OrdinalIgnoreCase));
            var isDate = type == FeatureLayerInfo.DateType;
            var fits = spec.Type switch
            {
                ColumnType.Timestamp => isDate,
                ColumnType.Text => !isDate && type is not ("esriFieldTypeGeometry" or "esriFieldTypeBlob" or "esriFieldTypeRaster"),
                _ => type is "esriFieldTypeOID" or "esriFieldTypeInteger" or "esriFieldTypeSmallInteger" or "esriFieldTypeBigInteger"
                    or "esriFieldTypeDouble" or "esriFieldTypeSingle" or "esriFieldTypeString",
            };
            if (!fits)
            {
                throw new ServiceRequestsException(
                    $"{SafeUri.Of(Layer)}: the layer field '{exact}' is {type}, which cannot fill the {spec.Type} column '{spec.Name}'; map another field (FeatureFieldMapping.With).");
            }
            fields.Add((exact, column, isDate));
        }
        var missing = Options.Fields.Fields.Where(f => !info.Fields.ContainsKey(f.Value)).Select(f => f.Value).ToList();
        if (missing.Count > 0)
        {
            Options.Log?.Invoke($"{SafeUri.Of(Layer)}: the layer has no field {string.Join(", ", missing)}; those columns stay empty.");
        }
        return (fields, string.Join(',', fields.Select(f => f.Field).Prepend(info.ObjectIdField).Distinct(StringComparer.OrdinalIgnoreCase)));
    }

    private Uri QueryUri(string parameters) => new(Layer + "/query?" + parameters);

    private async Task<ReadOnlyMemory<byte>> GetAsync(Uri uri, string what, string? where, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ServiceRequests", "1.0"));
        if (Options.Token is { } token)
        {
            request.Headers.TryAddWithoutValidation("X-Esri-Authorization", "Bearer " + token);
        }
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        // 202 "still processing" after every retry is not an answer to read.
        if (!response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.Accepted)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw ArcGisException.FromHttp(response.StatusCode, response.ReasonPhrase, text, $"{what} of {SafeUri.Of(Layer)}", where, Secrets.Scrub);
        }
        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    [GeneratedRegex(@"^(?<layer>/(?:[^/]+/)*FeatureServer/[0-9]+)(?:/query)?/?\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LayerPath();
}
