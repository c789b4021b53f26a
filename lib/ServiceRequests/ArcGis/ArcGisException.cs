using System.Net;
using System.Text.Json;
using ServiceRequests.Http;

namespace ServiceRequests.ArcGis;

/// <summary>
/// An ArcGIS server refused a request, either with an HTTP error or, as ArcGIS usually does, with
/// HTTP 200 and the body <c>{"error": {"code", "message", "details"}}</c>. The message names the
/// layer (without the token), the page and the <c>where</c> clause, and says what to do. Never
/// holds the token.
/// </summary>
public sealed class ArcGisException : ServiceRequestsException
{
    /// <summary>Creates the exception.</summary>
    internal ArcGisException(string message, HttpStatusCode? statusCode, int? code, string? serverMessage, IReadOnlyList<string> details)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
        ServerMessage = serverMessage;
        Details = details;
    }

    /// <summary>The HTTP status of the answer (200 for an error ArcGIS sends in a successful answer), or null when there was none.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>ArcGIS's error code (e.g. 400 for a bad query, 498 for an invalid token), or the HTTP status.</summary>
    public int? Code { get; }

    /// <summary>ArcGIS's error message, or the start of a body that was not ArcGIS's error JSON.</summary>
    public string? ServerMessage { get; }

    /// <summary>ArcGIS's error details (e.g. <c>'where' parameter is invalid</c>).</summary>
    public IReadOnlyList<string> Details { get; }

    /// <summary>Builds the exception from an ArcGIS error object.</summary>
    /// <param name="error">The <c>error</c> object of the body.</param>
    /// <param name="status">The HTTP status (200 for ArcGIS's usual error bodies).</param>
    /// <param name="request">What was asked, e.g. <c>query of https://host/…/FeatureServer/0 (page 3)</c>, without the token.</param>
    /// <param name="where">The <c>where</c> clause sent, if any.</param>
    /// <param name="scrub">Removes the token from any text the server sent back.</param>
    internal static ArcGisException FromError(JsonElement error, HttpStatusCode status, string request, string? where, Func<string, string> scrub)
    {
        int? code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n) ? n : null;
        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? scrub(m.GetString()!) : null;
        var details = error.TryGetProperty("details", out var d) && d.ValueKind == JsonValueKind.Array
            ? d.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => scrub(x.GetString()!)).Where(x => x.Length > 0).ToList()
            : [];
        return Create(status, code, message, details, request, where);
    }

    /// <summary>Builds the exception for an HTTP response that is not a success (after the retries).</summary>
    internal static ArcGisException FromHttp(HttpStatusCode status, string? reason, string body, string request, string? where, Func<string, string> scrub)
    {
        using (var json = ServerAnswer.ParseObject(body))
        {
            if (json is not null && json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return FromError(error, status, request, where, scrub);
            }
        }
        var trimmed = scrub(body.Trim());
        var message = trimmed.Length == 0 ? reason : ServerAnswer.Start(trimmed);
        return Create(status, (int)status, message, [], request, where);
    }

    private static ArcGisException Create(HttpStatusCode status, int? code, string? message, List<string> details, string request, string? where)
    {
        var text = status == HttpStatusCode.OK
            ? $"ArcGIS answered error {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(no code)"} to the {request}"
            : $"ArcGIS answered HTTP {(int)status} to the {request}";
        text += message is null ? "." : $": {message.TrimEnd('.')}.";
        if (details.Count > 0)
        {
            text += $" Details: {string.Join("; ", details)}.";
        }
        if (where is not null)
        {
            text += $" Where: {where}.";
        }
        text += " " + Advice(code ?? (int)status);
        return new ArcGisException(text, status, code ?? (int)status, message, details);
    }

    private static string Advice(int code) => code switch
    {
        400 => "Check the where clause: field names must exist in the layer, text values need single quotes (FeatureQuery.Text) and dates the form timestamp 'YYYY-MM-DD HH:MM:SS' (FeatureQuery.Timestamp).",
        401 or 403 or 498 or 499 => $"The layer needs a valid token: set {FeatureLayerOptions.TokenVariable} to a token that may read it.",
        404 => "Check the layer address: it must end in /FeatureServer/<layer number>, e.g. …/improve_detroit/FeatureServer/0.",
        429 => "The server is throttling this client even after waiting; try later.",
        >= 500 => "The server is failing; nothing is wrong on this side. Try again later.",
        _ => "Check the request against the ArcGIS REST API documentation for query (Feature Service/Layer).",
    };
}
