using System.Diagnostics;
using ServiceRequests.Cli;
using ServiceRequests.Portal;
using ServiceRequests.Socrata;
using ServiceRequests.Tests.Infrastructure;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Tests.Cli;

/// <summary>
/// Every command that talks to a server, against a real loopback server that accepts connections
/// and never answers, or answers and then trickles its body a byte at a time: with a short
/// <c>--timeout</c> each attempt is given up on and its retry is shown on standard error as it
/// happens, and <c>--deadline</c> ends the command with one line and exit code 1.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public class StalledServerTests
{
    private static Task<(int Code, TimeSpan Elapsed, IReadOnlyList<(TimeSpan At, string Line)> Error, string Output)> Run(params string[] args) =>
        Run(4, args);

    private static async Task<(int Code, TimeSpan Elapsed, IReadOnlyList<(TimeSpan At, string Line)> Error, string Output)> Run(int deadline, params string[] args)
    {
        var output = new StringWriter();
        var error = new TimedWriter();
        var clock = Stopwatch.StartNew();
        var code = await CommandLine.RunAsync([.. args, "--timeout", "0.3", "--deadline", deadline.ToString(System.Globalization.CultureInfo.InvariantCulture)], output, error);
        return (code, clock.Elapsed, error.Lines, output.ToString());
    }

    private static void AssertBounded((int Code, TimeSpan Elapsed, IReadOnlyList<(TimeSpan At, string Line)> Error, string Output) run, string kept, int deadline = 4)
    {
        var text = string.Join("\n", run.Error.Select(l => l.Line));
        Assert.True(run.Code == CommandLine.Failure, text + run.Output);
        Assert.InRange(run.Elapsed, TimeSpan.FromSeconds(deadline - 0.5), TimeSpan.FromSeconds(deadline + 15));
        var retries = run.Error.Where(l => l.Line.StartsWith("  retrying in ", StringComparison.Ordinal)).ToList();
        Assert.True(retries.Count >= 2, text);
        Assert.All(retries, r => Assert.Contains("no complete response within 0.3 s", r.Line));
        Assert.True(retries[0].At < TimeSpan.FromSeconds(deadline - 1.5), $"the first retry was shown at {retries[0].At}, not as it happened: {text}");
        Assert.Equal($"error: stopped at the deadline (--deadline {deadline} s). {kept}", run.Error[^1].Line);
        Assert.Single(run.Error, l => l.Line.StartsWith("error:", StringComparison.Ordinal));
    }

    public static TheoryData<bool> Servers => new() { false, true };

    private static StallingServer Start(bool trickle) => trickle ? StallingServer.Trickle() : StallingServer.Silent();

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Sync(bool trickle)
    {
        await using var server = Start(trickle);
        using var folder = new TempFolder();
        using var env = new EnvironmentVariables(("SCF_TOKEN", null), ("SCF_USER", null), ("SCF_PASS", null));
        var run = await Run("sync", "--base-url", server.BaseAddress.ToString(), "--place", "detroit", "--out", folder.Path, "--requests-per-minute", "6000");
        AssertBounded(run, "The progress so far is saved; the next run resumes from it.");
        Assert.Contains("\"outcome\":\"cancelled\"", File.ReadAllText(folder.File("runs.jsonl")));
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Publish(bool trickle)
    {
        await using var server = Start(trickle);
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("public"));
        PortalJson.WriteFile(FakeRows.Sample(3), folder.File("public/issues.json"));
        using var env = new EnvironmentVariables((SocrataClientOptions.UsernameVariable, FakeSocrata.User), (SocrataClientOptions.PasswordVariable, FakeSocrata.Password));
        var run = await Run("publish", "--portal", server.BaseAddress.ToString(), "--dataset", FakeSocrata.DatasetId, "--from", folder.Path);
        AssertBounded(run, "The batches the portal confirmed are kept; run the publish again to send the rest.");
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Arcgis(bool trickle)
    {
        await using var server = Start(trickle);
        using var folder = new TempFolder();
        var run = await Run("arcgis", "--layer", new Uri(server.BaseAddress, FakeFeatureServer.LayerPath).ToString(), "--out", folder.File("layer.json"));
        AssertBounded(run, "Nothing was written.");
        Assert.False(File.Exists(folder.File("layer.json")));
    }

    [Theory]
    [MemberData(nameof(Servers))]
    public async Task Report_shows_a_notebook_s_retries_while_it_waits(bool trickle)
    {
        await using var server = Start(trickle);
        using var folder = new TempFolder();
        var notebook = TestNotebook.Write(folder.Path, "live",
            "// parameters\nvar source = \"sample\";",
            "#r \"nuget: Microsoft.Data.Analysis, 0.23.1\"\n#r \"ServiceRequests.dll\"\nvar issues = await ServiceRequests.IssueData.LoadAsync(source);");
        // The deadline leaves room for the kernel to start on a busy machine before the first request.
        var run = await Run(15, "report", "--notebooks", notebook, "--out", folder.File("out"), "--param", $"source={new Uri(server.BaseAddress, "resource/abcd-1234.json")}");
        AssertBounded(run, "The reports of the notebooks that finished are written.", deadline: 15);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("1e-300")]
    [InlineData("1e300")]
    [InlineData("NaN")]
    public async Task A_timeout_or_deadline_out_of_range_is_one_line_naming_the_option(string seconds)
    {
        foreach (var option in new[] { "--timeout", "--deadline" })
        {
            var (code, _, error) = await CliRun.Run("arcgis", "--layer", "https://example.org/arcgis/rest/services/x/FeatureServer/0", "--out", "x.json", option, seconds);
            Assert.Equal(CommandLine.Failure, code);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: {option} ", line);
            Assert.Contains("give a number of seconds from 0.001 to 86400 (a day)", line);
        }
    }
}
