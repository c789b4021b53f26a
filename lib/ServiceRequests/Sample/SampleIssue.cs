using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Sample;

/// <summary>A generated issue with the geography SeeClickFix does not carry.</summary>
/// <param name="Request">The full issue, private fields included.</param>
/// <param name="Neighborhood">Neighborhood name.</param>
/// <param name="CouncilDistrict">Council district, 1–7.</param>
internal sealed record SampleIssue(ServiceRequest Request, string Neighborhood, int CouncilDistrict)
{
    /// <summary>The public (portal) row of this issue.</summary>
    public PortalRow ToPortalRow(PublicRedaction? redaction = null) =>
        PortalRow.From(Request, redaction, CityTime.Detroit, Neighborhood, CouncilDistrict);
}
