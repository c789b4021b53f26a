using ServiceRequests.ArcGis;
using ServiceRequests.Socrata;

namespace ServiceRequests;

/// <summary>How <see cref="IssueData.LoadAsync"/> loads a live source.</summary>
public sealed class IssueLoadOptions
{
    /// <summary>
    /// Where to keep a local copy of a Socrata source (one folder per source): each load then
    /// downloads only the rows changed since the previous one. Null (default): download everything.
    /// </summary>
    public string? CacheFolder { get; init; }

    /// <summary>Download everything even when a kept copy exists (e.g. to drop rows deleted on the portal).</summary>
    public bool FullRefresh { get; init; }

    /// <summary>
    /// Only these DataFrame columns of the portal shape (<see cref="Portal.PortalSchema.FrameColumnNames"/>;
    /// <c>location</c> stands for <c>latitude</c> and <c>longitude</c>), in the shape's order. Null
    /// (default): every column. A file (JSON or Parquet) is read for these columns only, which
    /// is faster and holds far less memory (a Parquet file need not even have the others); a live
    /// source is downloaded whole and then narrowed. <see cref="Metrics.IssueMetrics.InputColumns"/>
    /// are the columns the metrics read.
    /// </summary>
    public IReadOnlyCollection<string>? Columns { get; init; }

    /// <summary>How to talk to a Socrata portal (default: app token from <c>SOCRATA_APP_TOKEN</c>, pages of 50,000 rows).</summary>
    public SocrataClientOptions? Socrata { get; init; }

    /// <summary>How to read an ArcGIS FeatureServer layer (default: Detroit's field mapping, token from <c>ARCGIS_TOKEN</c>, pages of the layer's <c>maxRecordCount</c>).</summary>
    public FeatureLayerOptions? ArcGis { get; init; }
}
