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

    /// <summary>How to talk to a Socrata portal (default: app token from <c>SOCRATA_APP_TOKEN</c>, pages of 50,000 rows).</summary>
    public SocrataClientOptions? Socrata { get; init; }

    /// <summary>How to read an ArcGIS FeatureServer layer (default: Detroit's field mapping, token from <c>ARCGIS_TOKEN</c>, pages of the layer's <c>maxRecordCount</c>).</summary>
    public FeatureLayerOptions? ArcGis { get; init; }
}
