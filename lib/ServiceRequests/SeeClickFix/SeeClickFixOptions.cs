using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Runtime.CompilerServices;
using ServiceRequests.Http;
using ServiceRequests.IO;

namespace ServiceRequests.SeeClickFix;

/// <summary>
/// How a <see cref="SeeClickFixClient"/> talks to the SeeClickFix v2 API. Credentials come from
/// environment variables by default and are never printed: <see cref="ToString"/> says only
/// whether they are set.
/// </summary>
internal sealed class SeeClickFixOptions
{
    /// <summary>The environment variable holding an API token, sent as <c>Authorization: Bearer</c>.</summary>
    public const string TokenVariable = "SCF_TOKEN";

    /// <summary>The environment variable holding the user name for HTTP Basic (legacy).</summary>
    public const string UserVariable = "SCF_USER";

    /// <summary>The environment variable holding the password for HTTP Basic (legacy).</summary>
    public const string PasswordVariable = "SCF_PASS";

    /// <summary>SeeClickFix's documented rate limit: 20 requests per minute.</summary>
    public const double DefaultRequestsPerMinute = 20;

    /// <summary>
    /// Declares the variables above to <see cref="Secrets"/> when the library loads, before any
    /// client or message exists, so that every form of their values is scrubbed from output.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "The scrubber must know the credentials' variables before anything is printed; the registration only records names.")]
    internal static void DeclareSecrets() => Secrets.DeclareVariables([TokenVariable, UserVariable, PasswordVariable], (UserVariable, PasswordVariable));

    /// <summary>The bearer token (default: <c>SCF_TOKEN</c>; none when unset). Preferred over <see cref="Credentials"/>.</summary>
    public string? Token { get; init; } = EnvironmentSecrets.Read(TokenVariable);

    /// <summary>HTTP Basic credentials (default: <c>SCF_USER</c> and <c>SCF_PASS</c>; none unless both are set).</summary>
    public NetworkCredential? Credentials { get; init; } =
        EnvironmentSecrets.Account(UserVariable, PasswordVariable);

    /// <summary>The <c>User-Agent</c> header, which the API requires.</summary>
    public string UserAgent { get; init; } = "ServiceRequests-sync/1.0 (Improve Detroit toolkit)";

    /// <summary>
    /// Requests per minute the client allows itself (a token bucket holding one request, so
    /// requests are evenly spaced and never exceed the limit in any minute). Default 20.
    /// </summary>
    public double RequestsPerMinute { get; init; } = DefaultRequestsPerMinute;

    /// <summary>Timeouts and retries of every request (429, 5xx, timeouts and cut connections are retried, honouring <c>Retry-After</c>).</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>Whether any credentials are configured.</summary>
    public bool HasCredentials => Token is not null || Credentials is not null;

    /// <summary>Says what is configured without showing any secret.</summary>
    public override string ToString() =>
        $"{RequestsPerMinute:0.##} requests/minute, credentials: {(Token is not null ? $"token ({TokenVariable})" : Credentials is not null ? $"user and password ({UserVariable}/{PasswordVariable})" : "none")}";
}
