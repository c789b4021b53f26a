using Microsoft.Data.Analysis;
using ServiceRequests.ArcGis;
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
    public const string SampleRelativePath = BundledData.SampleRelativePath;

    /// <summary>
    /// The defaults of the run in progress (<see cref="UseDefaults"/>): they flow with the run's
    /// async calls (into the notebook cells its kernels run, whose scheduler carries the caller's
    /// execution context) and nowhere else, so a run in the same process that did not set them,
    /// or another run beside it, never sees them.
    /// </summary>
    private static readonly AsyncLocal<Defaults?> RunDefaults = new();

    /// <summary>
    /// How a live source is retried when the load's options do not say: as the run's
    /// <see cref="UseDefaults"/> set (the report runner's <c>--timeout</c>, retries on its standard error), else the
    /// defaults with each retry printed on standard error, so that a notebook waiting on a slow
    /// server says so below the running cell.
    /// </summary>
    internal static RetryOptions Retry => RunDefaults.Value?.Retry ?? new RetryOptions().PrintingTo(Console.Error);

    /// <summary>
    /// Until disposed, live sources that the calling run (this async flow and what it starts:
    /// the notebook cells it runs) loads without options of their own are retried as
    /// <paramref name="retry"/> says, and its loads given no cancellation token stop when
    /// <paramref name="cancellationToken"/> does (the report runner's deadline and Ctrl+C reach a
    /// notebook's <c>await IssueData.LoadAsync(source)</c>). Not process-wide: nothing outside the run sees them.
    /// </summary>
    public static IDisposable UseDefaults(RetryOptions retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var previous = RunDefaults.Value;
        RunDefaults.Value = new Defaults(retry, cancellationToken);
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
        if (!cancellationToken.CanBeCanceled && RunDefaults.Value is { } defaults)
        {
            cancellationToken = defaults.CancellationToken;
        }
        var columns = Projection(options.Columns);
        if (string.Equals(source, SampleSource, StringComparison.OrdinalIgnoreCase))
        {
            return LoadFile(FindSample(), columns, cancellationToken);
        }
        if (SocrataResource.IsResourceAddress(source))
        {
            return Narrow(await LoadSocrataAsync(SocrataResource.Parse(source), options, cancellationToken).ConfigureAwait(false), columns);
        }
        if (FeatureLayerClient.IsLayerAddress(source))
        {
            var (layer, query) = FeatureLayerClient.ParseAddress(source);
            using var client = new FeatureLayerClient(layer, options.ArcGis ?? new FeatureLayerOptions { Retry = Retry });
            return Narrow(await client.LoadAsync(query, cancellationToken).ConfigureAwait(false), columns);
        }
        if (Uri.TryCreate(source, UriKind.Absolute, out var web) && (web.Scheme == Uri.UriSchemeHttp || web.Scheme == Uri.UriSchemeHttps))
        {
            throw new ServiceRequestsException(
                $"'{Http.SafeUri.Of(web)}' is not a source this loader knows: give a Socrata resource address (https://{{portal}}/resource/{{id}}.json), a FeatureServer layer (https://…/FeatureServer/0), a file path or 'sample'.");
        }
        return LoadFile(source, columns, cancellationToken);
    }

    /// <summary>
    /// The frame column names <paramref name="columns"/> asks for (<c>location</c> standing for
    /// latitude and longitude), or null for all.
    /// </summary>
    /// <exception cref="ArgumentException">A name is not a column of the portal shape.</exception>
    internal static HashSet<string>? Projection(IReadOnlyCollection<string>? columns)
    {
        if (columns is null)
        {
            return null;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in columns)
        {
            if (name == PortalSchema.Location)
            {
                names.Add(PortalSchema.Latitude);
                names.Add(PortalSchema.Longitude);
            }
            else if (PortalSchema.FrameColumnNames.Contains(name))
            {
                names.Add(name);
            }
            else
            {
                throw new ArgumentException(
                    $"'{name}' is not a column of the portal shape; the columns are {string.Join(", ", PortalSchema.FrameColumnNames)}.", nameof(columns));
            }
        }
        return names;
    }

    /// <summary><paramref name="frame"/> with only the <paramref name="columns"/> (all when null), in the portal shape's order.</summary>
    private static DataFrame Narrow(DataFrame frame, HashSet<string>? columns) => PortalFile.Narrow(frame, columns);

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
    public static DataFrame LoadFile(string path) => LoadFile(path, null);

    /// <summary>Loads the <paramref name="columns"/> (frame column names; all when null) of a local <c>.json</c>, <c>.json.gz</c> or <c>.parquet</c> file.</summary>
    internal static DataFrame LoadFile(string path, HashSet<string>? columns, CancellationToken cancellationToken = default) =>
        PortalFile.Load(path, columns, cancellationToken);

    /// <summary>
    /// The bundled sample's full path: looked up from the current folder and the library's own
    /// folder upwards, so it is found from the repository root, <c>notebooks/</c> or a build output.
    /// </summary>
    /// <exception cref="ServiceRequestsException">No <c>data/improve-detroit-sample.json.gz</c> above either folder.</exception>
    public static string FindSample() => BundledData.FindSample();

    private sealed record Defaults(RetryOptions Retry, CancellationToken CancellationToken);

    private sealed class DefaultsScope(Defaults? previous) : IDisposable
    {
        public void Dispose() => RunDefaults.Value = previous;
    }
}
