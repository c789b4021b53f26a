using System.Text.Json;

namespace ServiceRequests.Http;

/// <summary>
/// What the three clients (SeeClickFix, Socrata, ArcGIS) share when reading a server's answer
/// that may or may not be the JSON they hoped for: an error body, an upsert report, a count.
/// </summary>
internal static class ServerAnswer
{
    /// <summary>How many characters of a body that is not the expected JSON a message shows.</summary>
    private const int Shown = 300;

    /// <summary>The root object of <paramref name="body"/>, or null when the body is not JSON or its root is not an object.</summary>
    public static JsonDocument? ParseObject(string body)
    {
        try
        {
            return Object(JsonDocument.Parse(body));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc cref="ParseObject(string)"/>
    public static JsonDocument? ParseObject(ReadOnlyMemory<byte> body)
    {
        try
        {
            return Object(JsonDocument.Parse(body));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The start of a body shown in a message: at most 300 characters, with <c>…</c> when cut.
    /// Pass it scrubbed, so that no part of a secret survives the cut.
    /// </summary>
    public static string Start(string text) => text.Length <= Shown ? text : text[..Shown] + "…";

    private static JsonDocument? Object(JsonDocument document)
    {
        if (document.RootElement.ValueKind == JsonValueKind.Object)
        {
            return document;
        }
        document.Dispose();
        return null;
    }
}
