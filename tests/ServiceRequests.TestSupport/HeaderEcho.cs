using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ServiceRequests.TestSupport;

/// <summary>
/// A careless server's error answer: it repeats every request header (credentials included) in
/// its reason phrase and body, as is and percent-encoded, in a JSON message or as plain text, so
/// a test can check that no form of a secret gets past the program.
/// </summary>
internal static class HeaderEcho
{
    /// <summary>Answers <paramref name="status"/> with the headers echoed; <paramref name="json"/> picks a JSON body (else plain text).</summary>
    public static async Task AnswerAsync(HttpContext context, int status, bool json = true)
    {
        var headers = context.Request.Headers.Select(h => $"{h.Key}: {h.Value}").ToList();
        var echo = string.Join("; ", headers) + " | encoded: " + string.Join("; ", headers.Select(Uri.EscapeDataString));
        context.Response.StatusCode = status;
        var authorization = context.Request.Headers.Authorization.ToString();
        var reason = context.Features.Get<IHttpResponseFeature>();
        if (reason is not null)
        {
            reason.ReasonPhrase = $"Refused {Ascii(authorization)} {Ascii(context.Request.Headers["X-App-Token"].ToString())} {Ascii(context.Request.Headers["X-Esri-Authorization"].ToString())}".TrimEnd();
        }
        if (json)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                code = "echo",
                error = new { code = status, message = "You sent " + echo, details = headers },
                message = "You sent " + echo,
                errors = new { @base = headers },
            }));
        }
        else
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(new string('.', 280) + " you sent " + echo + "\n" + string.Join("\n", headers));
        }
    }

    private static string Ascii(string text) => new([.. text.Where(c => c is >= ' ' and < (char)127)]);

    /// <summary>The forms <paramref name="secret"/> could be written in, for the tests' assertions.</summary>
    public static IEnumerable<string> Forms(string secret)
    {
        yield return secret;
        yield return Uri.EscapeDataString(secret);
        yield return System.Net.WebUtility.UrlEncode(secret);
        yield return JsonEncodedText.Encode(secret).ToString();
        yield return Convert.ToBase64String(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>The forms of an account's HTTP Basic credentials.</summary>
    public static IEnumerable<string> BasicForms(string user, string password)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        yield return basic;
        yield return basic.TrimEnd('=');
        yield return Uri.EscapeDataString(basic);
        yield return JsonEncodedText.Encode(basic).ToString();
        yield return $"{user}:{password}";
    }
}
