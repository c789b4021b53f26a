using Microsoft.AspNetCore.Http;
using ServiceRequests.ArcGis;
using ServiceRequests.Cli;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix;
using ServiceRequests.Socrata;
using ServiceRequests.Tests.Infrastructure;
using ServiceRequests.TestSupport;
using static ServiceRequests.Tests.Infrastructure.CliRun;

namespace ServiceRequests.Tests.Cli;

/// <summary>
/// Every command, against servers that echo the request's headers (credentials included) in their
/// reason phrase and error bodies, with all seven secrets set: no form of any of them (as is,
/// Base64 of user:password, percent-encoded, JSON-escaped) appears in what the program prints, in
/// the store (run log included) or in the reports.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public class CredentialLeakTests
{
    private const string ScfToken = "scf+Tok/en=Zq9-echoed";
    private const string ScfUser = "engineer+311@detroit.example";
    private const string ScfPassword = "p@ss w/rd+ä=&<\"9~";
    private const string AppToken = "app+T0k/en=XYZ-echoed";
    private const string SocrataUser = "publisher+x@example.org";
    private const string SocrataPassword = "s0crata P@ss/ö+?>";
    private const string EsriToken = "esri+Tok/en=ABC-echoed";

    private static readonly string[] Forbidden =
    [
        .. new[] { ScfToken, ScfUser, ScfPassword, AppToken, SocrataUser, SocrataPassword, EsriToken }.SelectMany(HeaderEcho.Forms),
        .. HeaderEcho.BasicForms(ScfUser, ScfPassword),
        .. HeaderEcho.BasicForms(SocrataUser, SocrataPassword),
    ];

    private static EnvironmentVariables AllSecrets(bool scfToken) => new(
        (SeeClickFixOptions.TokenVariable, scfToken ? ScfToken : null),
        (SeeClickFixOptions.UserVariable, ScfUser),
        (SeeClickFixOptions.PasswordVariable, ScfPassword),
        (SocrataClientOptions.AppTokenVariable, AppToken),
        (SocrataClientOptions.UsernameVariable, SocrataUser),
        (SocrataClientOptions.PasswordVariable, SocrataPassword),
        (FeatureLayerOptions.TokenVariable, EsriToken));

    private static void AssertClean(string what, string text)
    {
        foreach (var form in Forbidden)
        {
            Assert.False(text.Contains(form, StringComparison.Ordinal), $"{what} holds a form of a secret ({form.Length} characters): {text}");
        }
    }

    private static void AssertClean((int Code, string Out, string Err) run, string? folder, bool retries = true, bool masked = true)
    {
        Assert.Equal(CommandLine.Failure, run.Code);
        if (retries)
        {
            Assert.Contains("retrying", run.Err);
        }
        if (masked)
        {
            Assert.Contains("***", run.Out + run.Err);
        }
        AssertClean("standard output", run.Out);
        AssertClean("standard error", run.Err);
        foreach (var file in folder is null ? [] : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            AssertClean(file, File.ReadAllText(file));
        }
    }

    /// <summary>The first request is answered 503 (retried, its reason phrase printed), every later one <paramref name="status"/>; all echo the headers.</summary>
    private static Func<HttpContext, int, Task<bool>> Echo(int status, bool json = true) => async (context, n) =>
    {
        await HeaderEcho.AnswerAsync(context, n == 1 ? 503 : status, json);
        return true;
    };

    [Theory]
    [InlineData(false, 401, true)]
    [InlineData(false, 403, false)]
    [InlineData(true, 401, false)]
    [InlineData(true, 403, true)]
    public async Task Sync_shows_and_stores_no_form_of_a_secret(bool token, int status, bool json)
    {
        await using var fake = await FakeSeeClickFix.StartAsync(FakeSeeClickFix.Generate(5));
        fake.Intercept = Echo(status, json);
        using var folder = new TempFolder();
        using var env = AllSecrets(token);
        var run = await Run("sync", "--base-url", fake.BaseAddress.ToString(), "--organization", "507", "--out", folder.Path, "--requests-per-minute", "6000");
        AssertClean(run, folder.Path);
        Assert.Contains("\"outcome\":\"failed\"", File.ReadAllText(Path.Combine(folder.Path, "runs.jsonl")));
    }

    [Theory]
    [InlineData(401, true)]
    [InlineData(403, false)]
    public async Task Publish_shows_no_form_of_a_secret(int status, bool json)
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Intercept = Echo(status, json);
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("public"));
        PortalJson.WriteFile(FakeRows.Sample(3), folder.File("public/issues.json"));
        using var env = AllSecrets(true);
        var run = await Run("publish", "--portal", fake.Portal.ToString(), "--dataset", FakeSocrata.DatasetId, "--from", folder.Path);
        AssertClean(run, folder.Path);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(403, false)]
    public async Task Arcgis_shows_no_form_of_a_secret(int status, bool json)
    {
        await using var fake = await FakeFeatureServer.StartAsync();
        fake.Intercept = Echo(status, json);
        using var folder = new TempFolder();
        using var env = AllSecrets(true);
        var run = await Run("arcgis", "--layer", fake.Layer.ToString(), "--out", folder.File("layer.json"));
        AssertClean(run, folder.Path);
    }

    [Fact]
    public async Task Generate_shows_no_form_of_a_secret()
    {
        using var folder = new TempFolder();
        using var env = AllSecrets(true);
        var (code, output, error) = await Run("generate", "--issues", "20", "--out", folder.File("sample.json"));
        Assert.Equal(0, code);
        AssertClean("standard output", output + error);
        AssertClean("the file", File.ReadAllText(folder.File("sample.json")));
    }

    [Fact]
    public async Task Report_shows_and_writes_no_form_of_a_secret_from_a_socrata_or_arcgis_source_or_a_cell_that_prints_one()
    {
        await using var socrata = await FakeSocrata.StartAsync();
        socrata.Intercept = Echo(403, json: true);
        await using var arcgis = await FakeFeatureServer.StartAsync();
        arcgis.Intercept = Echo(401, json: false);
        using var folder = new TempFolder();
        using var env = AllSecrets(true);
        TestNotebook.Write(folder.Path, "a-socrata",
            "// parameters\nvar source = \"sample\";",
            "Console.WriteLine(\"token: \" + Environment.GetEnvironmentVariable(\"SOCRATA_APP_TOKEN\"));",
            "#r \"nuget: Microsoft.Data.Analysis, 0.23.1\"\n#r \"ServiceRequests.dll\"\nvar issues = await ServiceRequests.IssueData.LoadAsync(source);");
        var socrataRun = await Run("report", "--notebooks", folder.File("a-socrata.ipynb"), "--out", folder.File("out"),
            "--param", $"source={socrata.Resource}");
        AssertClean(socrataRun, folder.File("out"));
        Assert.Contains("token: ***", File.ReadAllText(folder.File("out/a-socrata.ipynb")));

        TestNotebook.Write(folder.Path, "b-arcgis",
            "// parameters\nvar source = \"sample\";",
            "#r \"nuget: Microsoft.Data.Analysis, 0.23.1\"\n#r \"ServiceRequests.dll\"\nvar issues = await ServiceRequests.IssueData.LoadAsync(source);");
        var arcgisRun = await Run("report", "--notebooks", folder.File("b-arcgis.ipynb"), "--out", folder.File("out"),
            "--param", $"source={arcgis.Layer}");
        AssertClean(arcgisRun, folder.File("out"), masked: false);
    }
}
