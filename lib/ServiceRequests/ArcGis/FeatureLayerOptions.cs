using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ServiceRequests.Http;
using ServiceRequests.IO;

namespace ServiceRequests.ArcGis;

/// <summary>
/// How a <see cref="FeatureLayerClient"/> reads a layer. The token comes from an environment
/// variable by default and is never printed: <see cref="ToString"/> says only whether it is set.
/// </summary>
public sealed class FeatureLayerOptions
{
    /// <summary>The environment variable holding an ArcGIS token for layers that are not public.</summary>
    public const string TokenVariable = "ARCGIS_TOKEN";

    /// <summary>
    /// Declares the variables above to <see cref="Secrets"/> when the library loads, before any
    /// client or message exists, so that every form of their values is scrubbed from output.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "The scrubber must know the credentials' variables before anything is printed; the registration only records names.")]
    internal static void DeclareSecrets() => Secrets.DeclareVariables([TokenVariable]);

    /// <summary>The token (default: <c>ARCGIS_TOKEN</c>; none when unset), sent only in the <c>X-Esri-Authorization</c> header.</summary>
    public string? Token { get; init; } = EnvironmentSecrets.Read(TokenVariable);

    /// <summary>Which layer field fills which portal column (default <see cref="FeatureFieldMapping.Detroit"/>).</summary>
    public FeatureFieldMapping Fields { get; init; } = FeatureFieldMapping.Detroit;

    /// <summary>Features per request; null (default) for the layer's <c>maxRecordCount</c>, which also caps it.</summary>
    public int? PageSize { get; init; }

    /// <summary>The city's time zone, into whose wall-clock time epoch-millisecond dates are converted (default Detroit).</summary>
    public TimeZoneInfo Zone { get; init; } = CityTime.Detroit;

    /// <summary>Timeouts and retries of every request (429 and 5xx are retried, honouring <c>Retry-After</c>).</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>Progress: receives one line per page (rows so far of the total); never given the token.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Says what is configured without showing the token.</summary>
    public override string ToString() =>
        $"page size {(PageSize is { } size ? size.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "the layer's maximum")}, token {(Token is null ? "not set" : "set")}, zone {Zone.Id}";
}
