using System.Net;

namespace ServiceRequests.IO;

/// <summary>
/// Reads tokens and accounts from environment variables, the only place credentials come from.
/// An empty variable counts as unset; surrounding spaces (common when pasted) are dropped.
/// </summary>
internal static class EnvironmentSecrets
{
    /// <summary>The value of <paramref name="variable"/>, or null when it is unset or empty.</summary>
    public static string? Read(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value.Trim() : null;

    /// <summary>The account in <paramref name="userVariable"/> and <paramref name="passwordVariable"/>, or null unless both are set.</summary>
    public static NetworkCredential? Account(string userVariable, string passwordVariable) =>
        Read(userVariable) is { } user && Read(passwordVariable) is { } password ? new NetworkCredential(user, password) : null;
}
