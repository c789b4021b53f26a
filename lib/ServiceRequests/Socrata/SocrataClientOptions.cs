using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Runtime.CompilerServices;
using ServiceRequests.Http;
using ServiceRequests.IO;

namespace ServiceRequests.Socrata;

/// <summary>
/// How a <see cref="SocrataClient"/> talks to a portal. Secrets come from environment variables
/// by default and are never printed: <see cref="ToString"/> says only whether they are set.
/// </summary>
public sealed class SocrataClientOptions
{
    /// <summary>The environment variable holding the app token, sent as the <c>X-App-Token</c> header.</summary>
    public const string AppTokenVariable = "SOCRATA_APP_TOKEN";

    /// <summary>The environment variable holding the user name for publishing (HTTP Basic).</summary>
    public const string UsernameVariable = "SOCRATA_USERNAME";

    /// <summary>The environment variable holding the password for publishing (HTTP Basic).</summary>
    public const string PasswordVariable = "SOCRATA_PASSWORD";

    /// <summary>The most rows a SODA 2.0 endpoint returns per request.</summary>
    public const int MaxPageSize = 50_000;

    /// <summary>
    /// Declares the variables above to <see cref="Secrets"/> when the library loads, before any
    /// client or message exists, so that every form of their values is scrubbed from output.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries",
        Justification = "The scrubber must know the credentials' variables before anything is printed; the registration only records names.")]
    internal static void DeclareSecrets() => Secrets.DeclareVariables([AppTokenVariable, UsernameVariable, PasswordVariable], (UsernameVariable, PasswordVariable));

    /// <summary>The app token (default: <c>SOCRATA_APP_TOKEN</c>; none when unset). Raises the portal's rate limit.</summary>
    public string? AppToken { get; init; } = EnvironmentSecrets.Read(AppTokenVariable);

    /// <summary>The publishing account (default: <c>SOCRATA_USERNAME</c> and <c>SOCRATA_PASSWORD</c>; none unless both are set). Only upserts send it.</summary>
    public NetworkCredential? Credentials { get; init; } =
        EnvironmentSecrets.Account(UsernameVariable, PasswordVariable);

    /// <summary>Rows per request when paging (default and most: 50,000).</summary>
    public int PageSize { get; init; } = MaxPageSize;

    /// <summary>Timeouts and retries of every request (429 and 5xx are retried, honouring <c>Retry-After</c>).</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>Receives one line per page or batch (progress); never given a secret.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Says what is configured without showing any secret.</summary>
    public override string ToString() =>
        $"page size {PageSize:N0}, app token {(AppToken is null ? "not set" : "set")}, credentials {(Credentials is null ? "not set" : "set")}";
}
