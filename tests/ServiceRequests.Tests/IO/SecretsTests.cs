using System.Net;
using System.Text;
using System.Text.Json;
using ServiceRequests.IO;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.IO;

[Collection(EnvironmentCollection.Name)]
public class SecretsTests
{
    [Fact]
    public void Every_form_of_an_environment_secret_is_scrubbed()
    {
        const string password = "pa55 w/rd+ä=&<x";
        using var env = new EnvironmentVariables(("SCF_USER", "someone@example.org"), ("SCF_PASS", password), ("ARCGIS_TOKEN", "tok+en/1=="));
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("someone@example.org:" + password));
        foreach (var form in new[]
                 {
                     password, Uri.EscapeDataString(password), Uri.EscapeDataString(password).ToLowerInvariant(), WebUtility.UrlEncode(password),
                     JsonEncodedText.Encode(password).ToString(), WebUtility.HtmlEncode(password),
                     basic, basic.TrimEnd('='), basic.Replace('+', '-').Replace('/', '_'), Uri.EscapeDataString(basic), JsonEncodedText.Encode(basic).ToString(),
                     "someone@example.org:" + password, "tok+en/1==", "tok%2Ben%2F1%3D%3D", "Bearer tok+en/1==",
                 })
        {
            var scrubbed = Secrets.Scrub($"before {form} after");
            Assert.Contains("***", scrubbed);
            Assert.DoesNotContain(form.Replace("Bearer ", "", StringComparison.Ordinal), scrubbed);
        }
        Assert.Equal("nothing secret here", Secrets.Scrub("nothing secret here"));
    }

    [Fact]
    public void A_client_secret_is_scrubbed_while_it_is_registered_and_short_values_never()
    {
        const string token = "registered-token-77";
        var registration = Secrets.Register(new NetworkCredential("u", "p"), token);
        Assert.Equal("a *** b", Secrets.Scrub($"a {token} b"));
        Assert.Equal("user u, password p", Secrets.Scrub("user u, password p"));
        registration.Dispose();
        registration.Dispose();
        Assert.Equal($"a {token} b", Secrets.Scrub($"a {token} b"));
    }

    [Fact]
    public void The_writer_scrubs_a_secret_written_in_pieces_and_never_closes_its_inner_writer()
    {
        using var env = new EnvironmentVariables(("SOCRATA_APP_TOKEN", "piecewise-token-42"));
        var inner = new StringWriter();
        using (var writer = new ScrubbingWriter(inner))
        {
            writer.Write("token: piece");
            writer.Write('w');
            writer.Write("ise-tok".ToCharArray(), 0, 7);
            writer.WriteLine("en-42!");
            writer.Write("no newline piecewise-token-42");
        }
        Assert.Equal("token: ***!" + Environment.NewLine + "no newline ***", inner.ToString());
        inner.Write("still open");
    }
}
