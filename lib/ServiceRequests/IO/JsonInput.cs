using System.Text.Json;

namespace ServiceRequests.IO;

/// <summary>
/// Parses JSON that came from outside (a server's answer, a file, a header) or says, as a
/// <see cref="ServiceRequestsException"/>, what it was and why it is not JSON: the one "parse
/// JSON or throw" of the library.
/// </summary>
internal static class JsonInput
{
    /// <summary>The document in <paramref name="json"/>.</summary>
    /// <param name="json">The UTF-8 text.</param>
    /// <param name="failure">The message for the reader's error (it becomes the inner exception).</param>
    /// <param name="options">How deep the document may go, and the like.</param>
    /// <exception cref="ServiceRequestsException">The text is not JSON; the message is <paramref name="failure"/>'s.</exception>
    public static JsonDocument Parse(ReadOnlyMemory<byte> json, Func<JsonException, string> failure, JsonDocumentOptions options = default)
    {
        try
        {
            return JsonDocument.Parse(json, options);
        }
        catch (JsonException e)
        {
            throw new ServiceRequestsException(failure(e), e);
        }
    }

    /// <inheritdoc cref="Parse(ReadOnlyMemory{byte}, Func{JsonException, string}, JsonDocumentOptions)"/>
    public static JsonDocument Parse(string json, Func<JsonException, string> failure, JsonDocumentOptions options = default)
    {
        try
        {
            return JsonDocument.Parse(json, options);
        }
        catch (JsonException e)
        {
            throw new ServiceRequestsException(failure(e), e);
        }
    }
}
