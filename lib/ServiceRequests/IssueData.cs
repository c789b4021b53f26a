using System.IO.Compression;
using Microsoft.Data.Analysis;
using ServiceRequests.ArcGis;
using ServiceRequests.Frames;
using ServiceRequests.Http;
using ServiceRequests.IO;
using ServiceRequests.Portal;
using ServiceRequests.Socrata;

namespace ServiceRequests;

/// <summary>
/// Loads issues in the portal shape (<see cref="PortalSchema"/>) into a typed DataFrame, from
/// the bundled sample, a local Socrata JSON file (<c>.json</c> or <c>.json.gz</c>), a portal-shaped
/// Parquet file (<c>.parquet</c>, such as the sync store's <c>public/issues.parquet</c>), a live
/// Socrata portal or an ArcGIS FeatureServer layer (<see cref="LoadAsync"/>).
/// </summary>
public static class IssueData
{
    /// <summary>The data-source name of the bundled synthetic sample.</summary>
    public const string SampleSource = "sample";

    /// <summary>The bundled sample's path relative to the repository root.</summary>
    public const string SampleRelativePath = "data/improve-detroit-sample.json.gz";

    private static Defaults? _defaults;

    /// <summary>
    /// How a live source is retried when the load's options do not say: as <see cref="UseDefaults"/>
    /// set (the report runner's <c>--timeout</c>, retries on its standard error), else the
    /// defaults with each retry printed on standard error, so that a notebook waiting on a slow
    /// server says so below the running cell.
    /// </summary>
    internal static RetryOptions Retry => Volatile.Read(ref _defaults)?.Retry ?? new RetryOptions().PrintingTo(Console.Error);

    /// <summary>
    /// Until disposed, live sources loaded without options of their own are retried as
    /// <paramref name="retry"/> says, and loads given no cancellation token stop when
    /// <paramref name="cancellationToken"/> does (the report runner's deadline and Ctrl+C reach a
    /// notebook's <c>await IssueData.LoadAsync(source)</c>).
    /// </summary>
    internal static IDisposable UseDefaults(RetryOptions retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var previous = Interlocked.Exchange(ref _defaults, new Defaults(retry, cancellationToken));
        return new DefaultsScope(previous);
    }

    /// <summary>
    /// Loads <paramref name="source"/>: <c>sample</c> (the bundled sample) or the path of a
    /// <c>.json</c> / <c>.json.gz</c> file in the portal's shape, or of a <c>.parquet</c> file
    /// with the portal's columns (<see cref="PortalSchema.FrameColumnNames"/>; other columns are ignored).
    /// </summary>
    /// <exception cref="ServiceRequestsException">
    /// The file (or the bundled sample) is not there or cannot be read, or it is not portal-shaped JSON
    /// (the message names the file, and the row, field and byte) or Parquet (one line naming the file
    /// and the missing or mistyped column).
    /// </exception>
    public static DataFrame Load(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        return string.Equals(source, SampleSource, StringComparison.OrdinalIgnoreCase)
            ? LoadFile(FindSample())
            : LoadFile(source);
    }

    /// <summary>
    /// The one switch for notebooks: loads <paramref name="source"/> into a DataFrame in the portal
    /// shape (<see cref="PortalSchema.FrameColumnNames"/>; fields the portal shape lacks are left
    /// out, portal columns a source lacks are null):
    /// <list type="bullet">
    /// <item><c>sample</c>: the bundled sample;</item>
    /// <item><c>https://{portal}/resource/{id}.json</c>, optionally with <c>$where</c> and the other SoQL
    /// parameters: the live dataset, paged (app token from <c>SOCRATA_APP_TOKEN</c>). With
    /// <see cref="IssueLoadOptions.CacheFolder"/>, a local copy is kept there and only rows changed
    /// since the last load are downloaded (<see cref="SocrataMirror"/>);</item>
    /// <item><c>https://…/FeatureServer/{n}</c>, optionally with <c>?where=</c>: an ArcGIS layer such as
    /// Detroit's current <c>improve_detroit/FeatureServer/0</c>, paged, its fields mapped as
    /// <see cref="IssueLoadOptions.ArcGis"/> says (default Detroit's; token from <c>ARCGIS_TOKEN</c>);</item>
    /// <item>a path ending in <c>.parquet</c>: a Parquet file with the portal's columns, such as the sync
    /// store's <c>public/issues.parquet</c>;</item>
    /// <item>anything else: the path of a local <c>.json</c> / <c>.json.gz</c> file in the portal's shape.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ServiceRequestsException">
    /// The file (or the bundled sample) is not there or cannot be read; the data is not portal-shaped
    /// JSON (the message names the file or page, row, field and byte) or Parquet (the file and the column); the address is malformed or
    /// not a source this loader knows; or the server could not be reached after the retries.
    /// </exception>
    /// <exception cref="SocrataException">The portal refused a request (bad query, unknown dataset, ...).</exception>
    /// <exception cref="ArcGisException">The ArcGIS server refused a request (bad where, unknown layer, bad token, ...).</exception>
    public static async Task<DataFrame> LoadAsync(string source, IssueLoadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        options ??= new IssueLoadOptions();
        if (!cancellationToken.CanBeCanceled && Volatile.Read(ref _defaults) is { } defaults)
        {
            cancellationToken = defaults.CancellationToken;
        }
        if (string.Equals(source, SampleSource, StringComparison.OrdinalIgnoreCase))
        {
            return LoadFile(FindSample());
        }
        if (SocrataResource.IsResourceAddress(source))
        {
            return await LoadSocrataAsync(SocrataResource.Parse(source), options, cancellationToken).ConfigureAwait(false);
        }
        if (FeatureLayerClient.IsLayerAddress(source))
        {
            var (layer, query) = FeatureLayerClient.ParseAddress(source);
            using var client = new FeatureLayerClient(layer, options.ArcGis ?? new FeatureLayerOptions { Retry = Retry });
            return await client.LoadAsync(query, cancellationToken).ConfigureAwait(false);
        }
        if (Uri.TryCreate(source, UriKind.Absolute, out var web) && (web.Scheme == Uri.UriSchemeHttp || web.Scheme == Uri.UriSchemeHttps))
        {
            throw new ServiceRequestsException(
                $"'{Http.SafeUri.Of(web)}' is not a source this loader knows: give a Socrata resource address (https://{{portal}}/resource/{{id}}.json), a FeatureServer layer (https://…/FeatureServer/0), a file path or 'sample'.");
        }
        if (IsParquet(source))
        {
            return await LoadParquetAsync(source, cancellationToken).ConfigureAwait(false);
        }
        return LoadFile(source);
    }

    private static async Task<DataFrame> LoadSocrataAsync(SocrataResource resource, IssueLoadOptions options, CancellationToken cancellationToken)
    {
        using var client = new SocrataClient(resource.Portal, options.Socrata ?? new SocrataClientOptions { Retry = Retry });
        if (options.CacheFolder is null)
        {
            return await client.LoadAsync(resource.DatasetId, resource.Query, PortalSchema.FrameColumns, cancellationToken).ConfigureAwait(false);
        }
        var mirror = new SocrataMirror(client, resource.DatasetId, options.CacheFolder, resource.Query);
        return (await mirror.RefreshAsync(options.FullRefresh, cancellationToken).ConfigureAwait(false)).Frame;
    }

    /// <summary>Loads a local <c>.json</c>, <c>.json.gz</c> or <c>.parquet</c> file in the portal's shape.</summary>
    /// <inheritdoc cref="Load" path="/exception"/>
    public static DataFrame LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (IsParquet(path))
        {
            // Parquet.Net reads only asynchronously; it does not capture a synchronization context.
            return LoadParquetAsync(path, CancellationToken.None).GetAwaiter().GetResult();
        }
        if (!File.Exists(path))
        {
            throw new ServiceRequestsException($"No such file: '{Path.GetFullPath(path)}'.");
        }
        try
        {
            return SodaJsonFile.Load(path, PortalSchema.FrameColumns);
        }
        catch (InvalidDataException e)
        {
            throw new ServiceRequestsException($"{path}: not gzip-compressed ({e.Message})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Files.CannotRead(path, e);
        }
    }

    private static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    private static async Task<DataFrame> LoadParquetAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new ServiceRequestsException($"No such file: '{Path.GetFullPath(path)}'.");
        }
        try
        {
            return await PortalParquet.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Files.CannotRead(path, e);
        }
    }

    /// <summary>
    /// The bundled sample's full path: looked up from the current folder and the library's own
    /// folder upwards, so it is found from the repository root, <c>notebooks/</c> or a build output.
    /// </summary>
    /// <exception cref="ServiceRequestsException">No <c>data/improve-detroit-sample.json.gz</c> above either folder.</exception>
    public static string FindSample()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, SampleRelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new ServiceRequestsException(
            $"The bundled sample '{SampleRelativePath}' was not found above '{Directory.GetCurrentDirectory()}'. " +
            "Run from inside the repository, or pass the file's path instead of 'sample'.");
    }

    private sealed record Defaults(RetryOptions Retry, CancellationToken CancellationToken);

    private sealed class DefaultsScope(Defaults? previous) : IDisposable
    {
        public void Dispose() => Volatile.Write(ref _defaults, previous);
    }
}
