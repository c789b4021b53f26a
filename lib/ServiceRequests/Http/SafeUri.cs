namespace ServiceRequests.Http;

/// <summary>Addresses made safe to print: no user info, and secret-looking query values masked.</summary>
internal static class SafeUri
{
    private static readonly string[] SecretWords = ["token", "key", "password", "pass", "secret", "auth", "signature"];

    /// <summary>The address without user info, with query values of secret-looking names replaced by <c>***</c>.</summary>
    public static string Of(Uri? uri)
    {
        if (uri is null)
        {
            return "(no address)";
        }
        if (!uri.IsAbsoluteUri)
        {
            return uri.ToString();
        }
        var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty };
        if (builder.Query.Length > 1)
        {
            var parts = builder.Query.TrimStart('?').Split('&');
            for (var i = 0; i < parts.Length; i++)
            {
                var eq = parts[i].IndexOf('=');
                var name = eq < 0 ? parts[i] : parts[i][..eq];
                if (eq >= 0 && SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase)))
                {
                    parts[i] = name + "=***";
                }
            }
            builder.Query = string.Join('&', parts);
        }
        return builder.Uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped);
    }
}
