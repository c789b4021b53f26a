using System.Net;
using System.Text.Json;
using ServiceRequests.Http;

namespace ServiceRequests.Socrata;

/// <summary>
/// A Socrata portal refused a request: the HTTP status, Socrata's error <see cref="Code"/> and
/// <see cref="ServerMessage"/> (from its body <c>{"code": ..., "error": true, "message": ...}</c>),
/// the request and the query, and what to do. Never holds the app token or the password.
/// </summary>
public sealed class SocrataException : ServiceRequestsException
{
    /// <summary>Creates the exception.</summary>
    internal SocrataException(string message, HttpStatusCode? statusCode, string? code, string? serverMessage, string? query)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
        ServerMessage = serverMessage;
        Query = query;
    }

    /// <summary>The HTTP status of the answer, or null when there was none.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Socrata's error code, e.g. <c>query.compiler.malformed</c>, when the body had one.</summary>
    public string? Code { get; }

    /// <summary>Socrata's error message, or the start of a body that was not Socrata's error JSON.</summary>
    public string? ServerMessage { get; }

    /// <summary>The SoQL query sent (decoded), when there was one.</summary>
    public string? Query { get; }

    /// <summary>Builds the exception for a response that is not a success.</summary>
    /// <param name="response">The response (its body already buffered).</param>
    /// <param name="request">What was asked, e.g. <c>GET https://host/resource/abcd-1234.json</c>, without credentials.</param>
    /// <param name="query">The query sent, if any.</param>
    /// <param name="scrub">Removes secrets from any text the server sent back.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    internal static async Task<SocrataException> FromResponseAsync(HttpResponseMessage response, string request, SoqlQuery? query,
        Func<string, string> scrub, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? code = null, message = null;
        using (var json = ServerAnswer.ParseObject(body))
        {
            if (json is not null)
            {
                code = Text(json.RootElement, "code") ?? Text(json.RootElement, "errorCode");
                message = Text(json.RootElement, "message");
            }
        }
        // Scrubbed before it is cut, so that no part of a secret survives the cut.
        code = code is null ? null : scrub(code);
        message = message is null ? null : scrub(message);
        if (message is null && scrub(body).Trim() is { Length: > 0 } trimmed)
        {
            message = ServerAnswer.Start(trimmed);
        }
        var status = (int)response.StatusCode;
        var text = $"Socrata answered HTTP {status} {response.ReasonPhrase}{(code is null ? "" : $" ({code})")} to {request}";
        text += message is null ? "." : $": {message.TrimEnd('.')}.";
        if (query is not null)
        {
            text += $" Query: {query}.";
        }
        text += " " + Advice(response.StatusCode, code);
        return new SocrataException(text, response.StatusCode, code, message, query?.ToString());
    }

    private static string Advice(HttpStatusCode status, string? code) => status switch
    {
        HttpStatusCode.Accepted => "The portal was still preparing this result (202, request processing) after every retry; try again in a few minutes.",
        HttpStatusCode.BadRequest when code?.StartsWith("query.", StringComparison.Ordinal) == true =>
            "Fix the SoQL ($select, $where, $order): field names must exist in the dataset and text values need single quotes.",
        HttpStatusCode.BadRequest => "The portal rejected the request as malformed; check the query or the rows sent.",
        HttpStatusCode.Unauthorized => "The portal needs credentials: set SOCRATA_USERNAME and SOCRATA_PASSWORD (and SOCRATA_APP_TOKEN).",
        HttpStatusCode.Forbidden => "The account in SOCRATA_USERNAME may not do this on this dataset, or the app token in SOCRATA_APP_TOKEN is invalid; check them with the portal's administrator.",
        HttpStatusCode.NotFound => "Check the portal address and the dataset id (4x4, e.g. abcd-1234).",
        HttpStatusCode.TooManyRequests => "The portal is throttling this client even after waiting: set SOCRATA_APP_TOKEN (requests with an app token get a higher limit) or try later.",
        >= HttpStatusCode.InternalServerError => "The portal is failing; nothing is wrong on this side. Try again later.",
        _ => "Check the request against the portal's documentation.",
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
