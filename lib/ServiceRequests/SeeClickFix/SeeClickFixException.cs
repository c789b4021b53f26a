using System.Net;

namespace ServiceRequests.SeeClickFix;

/// <summary>
/// SeeClickFix refused a request (401, 403, 404, or a limit it kept enforcing after the
/// retries): the status, the page asked for, the server's message and what to do. Never holds
/// the token or the password.
/// </summary>
internal sealed class SeeClickFixException : ServiceRequestsException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The whole message, already free of secrets.</param>
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="page">The page number asked for.</param>
    /// <param name="serverMessage">What the server said, if anything.</param>
    public SeeClickFixException(string message, HttpStatusCode statusCode, int page, string? serverMessage)
        : base(message)
    {
        StatusCode = statusCode;
        Page = page;
        ServerMessage = serverMessage;
    }

    /// <summary>The HTTP status of the answer.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The page number asked for.</summary>
    public int Page { get; }

    /// <summary>The server's message (from its JSON body, or the start of the body), without secrets.</summary>
    public string? ServerMessage { get; }

    /// <summary>What the user can do about <paramref name="status"/>.</summary>
    internal static string Advice(HttpStatusCode status, bool organization) => status switch
    {
        HttpStatusCode.Unauthorized => $"The credentials were refused or are missing: set {SeeClickFixOptions.TokenVariable} (a bearer token), or {SeeClickFixOptions.UserVariable} and {SeeClickFixOptions.PasswordVariable}.",
        HttpStatusCode.Forbidden when organization => $"The account in {SeeClickFixOptions.TokenVariable}/{SeeClickFixOptions.UserVariable} may not read this organization's issues, or SeeClickFix blocked the client for exceeding its rate limit: check the account's membership, lower the request rate and try later.",
        HttpStatusCode.Forbidden => "SeeClickFix refused the request (a blocked client or a missing User-Agent): lower the request rate and try later.",
        HttpStatusCode.NotFound when organization => "No such organization, or the account is not a member: check the organization id (Detroit's is 507) and the site's address.",
        HttpStatusCode.NotFound => "No such place or address: check the place (e.g. detroit) and the site's address (e.g. https://seeclickfix.com).",
        HttpStatusCode.TooManyRequests => "SeeClickFix kept throttling even after waiting: lower the request rate and try later.",
        >= HttpStatusCode.InternalServerError => "SeeClickFix is failing; nothing is wrong on this side. Run the sync again later: it resumes.",
        _ => "Check the request against the SeeClickFix v2 documentation.",
    };
}
