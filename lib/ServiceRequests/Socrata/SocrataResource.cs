using System.Text.RegularExpressions;
using ServiceRequests.Http;

namespace ServiceRequests.Socrata;

/// <summary>
/// A Socrata resource address as analysts copy it from a portal:
/// <c>https://{portal}/resource/{id}.json</c>, optionally with SoQL parameters
/// (<c>?$where=...&amp;$order=...</c>) or simple filters (<c>?status=Open</c>).
/// </summary>
/// <param name="Portal">The portal's base address, ending in <c>/</c>.</param>
/// <param name="DatasetId">The dataset's 4x4 id.</param>
/// <param name="Query">The query the address carries.</param>
internal sealed partial record SocrataResource(Uri Portal, string DatasetId, SoqlQuery Query)
{
    /// <summary>Whether <paramref name="address"/> is an http(s) address whose path is <c>/resource/{4x4}</c> (any extension).</summary>
    public static bool IsResourceAddress(string? address) =>
        Uri.TryCreate(address, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && ResourcePath().IsMatch(uri.AbsolutePath);

    /// <summary>Reads a resource address.</summary>
    /// <exception cref="ServiceRequestsException">
    /// The address is not a resource address, asks for a format other than JSON (<c>.csv</c>,
    /// <c>.geojson</c>), carries credentials or an app token, or has a query parameter that is not supported.
    /// </exception>
    public static SocrataResource Parse(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ServiceRequestsException($"'{address}' is not an http(s) address.");
        }
        var match = ResourcePath().Match(uri.AbsolutePath);
        if (!match.Success)
        {
            throw new ServiceRequestsException($"'{SafeUri.Of(uri)}' is not a Socrata resource address: expected https://{{portal}}/resource/{{id}}.json, e.g. https://data.detroitmi.gov/resource/fwz3-w3yn.json.");
        }
        if (uri.UserInfo.Length > 0)
        {
            throw new ServiceRequestsException(
                $"Do not put credentials in the address '{SafeUri.Of(uri)}'; set {SocrataClientOptions.UsernameVariable} and {SocrataClientOptions.PasswordVariable} instead.");
        }
        var extension = match.Groups["ext"].Value;
        if (extension.Length > 0 && !extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            throw new ServiceRequestsException($"'{SafeUri.Of(uri)}' asks for {extension}; this loader reads the JSON endpoint: use .json.");
        }
        var portal = new Uri(uri.GetLeftPart(UriPartial.Authority) + match.Groups["base"].Value + "/");
        return new SocrataResource(portal, match.Groups["id"].Value.ToLowerInvariant(), SoqlQuery.Parse(uri.Query));
    }

    /// <summary>The address in canonical form: <c>{portal}resource/{id}.json</c> and the query, encoded.</summary>
    public override string ToString()
    {
        var query = Query.ToQueryString();
        return $"{Portal}resource/{DatasetId}.json{(query.Length == 0 ? "" : "?" + query)}";
    }

    [GeneratedRegex(@"^(?<base>(/[^/]+)*?)/resource/(?<id>[A-Za-z0-9]{4}-[A-Za-z0-9]{4})(?<ext>\.[A-Za-z]+)?/?\z", RegexOptions.CultureInvariant)]
    private static partial Regex ResourcePath();
}
