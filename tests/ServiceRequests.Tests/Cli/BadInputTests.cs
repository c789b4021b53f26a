using System.CommandLine;
using ServiceRequests.Cli;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Cli;

/// <summary>
/// A value the user can fix is one line on standard error, naming the option where the library
/// refused the value it was given, and exit code 1; anything else is a bug, shown whole with exit
/// code 70. Library messages never name options: the program adds them.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public class BadInputTests
{
    [Theory]
    [InlineData("error: --requests-per-minute: ", "sync", "--place", "detroit", "--out", "x", "--requests-per-minute", "0")]
    [InlineData("error: --base-url: ", "sync", "--base-url", "ftp://example.org", "--place", "detroit", "--out", "x")]
    [InlineData("error: --overlap must be 0 or more", "sync", "--place", "detroit", "--out", "x", "--overlap", "-1")]
    [InlineData("error: --portal: ", "publish", "--portal", "ftp://data.example.org", "--dataset", "abcd-1234", "--from", "x")]
    [InlineData("error: --dataset: ", "publish", "--portal", "https://data.example.org", "--dataset", "nope", "--from", "x")]
    [InlineData("error: --batch-size: ", "publish", "--portal", "https://data.example.org", "--dataset", "abcd-1234", "--from", "x", "--batch-size", "0")]
    [InlineData("error: --layer: ", "arcgis", "--layer", "https://example.org/arcgis/rest/services/x/MapServer/0", "--out", "x.json")]
    [InlineData("error: --page-size: ", "arcgis", "--layer", "https://example.org/arcgis/rest/services/x/FeatureServer/0", "--page-size", "0", "--out", "x.json")]
    [InlineData("error: The number of issues must be 0 or more", "generate", "--issues", "-1", "--out", "x.json")]
    [InlineData("error: The last date 2025-01-01 is before the first", "generate", "--from", "2025-02-01", "--to", "2025-01-01", "--out", "x.json")]
    [InlineData("error: No notebook folder", "report", "--notebooks", "no/such/folder")]
    [InlineData("error: The parameter 'weeks' is not name=value", "report", "--notebooks", "{notebooks}", "--param", "weeks")]
    [InlineData("error: four-week-trends: parameter weeks=2147483647: out of range; give 1 to 520.", "report", "--notebooks", "{notebooks}", "--param", "weeks=2147483647")]
    [InlineData("error: four-week-trends: parameter weeks=0: out of range; give 1 to 520.", "report", "--notebooks", "{notebooks}", "--param", "weeks=0")]
    [InlineData("error: --requests-per-minute: ", "sync", "--place", "detroit", "--out", "x", "--requests-per-minute", "1e-300")]
    public async Task A_bad_value_is_one_line_naming_the_option_and_exit_1(string expected, params string[] args)
    {
        using var env = new EnvironmentVariables(("SCF_TOKEN", null), ("SCF_USER", null), ("SCF_PASS", null));
        var (code, _, error) = await CliRun.Run([.. args.Select(a => a == "{notebooks}" ? RepoPaths.Of("notebooks") : a)]);
        Assert.Equal(CommandLine.Failure, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(expected, line);
        Assert.DoesNotContain("(Parameter '", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_range_that_holds_no_data_is_one_line_naming_both_ranges_before_any_notebook_runs()
    {
        using var folder = new TempFolder();

        var (code, _, error) = await CliRun.Run("report", "--notebooks", RepoPaths.Of("notebooks"), "--out", folder.File("out"), "--param", "from=2030-01-01", "--param", "to=2030-03-31");

        Assert.Equal(CommandLine.Failure, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("error: The range 2030-01-01 to 2030-03-31 holds no issues: the data holds issues created from 2024-11-03 to 2026-10-31.", line.Trim());
        Assert.False(Directory.Exists(folder.File("out")));
    }

    [Theory]
    [InlineData("issues.json.gz", "[{\"id\": \"1\"}]", "not gzip-compressed")]
    [InlineData("issues.json", "[]", "holds no issues (an empty array)")]
    [InlineData("issues.json", "{\"id\": 1}", "issues.json")]
    [InlineData("missing.json.gz", null, "No such file")]
    public async Task A_source_file_the_reports_cannot_use_is_one_line_naming_it_before_any_notebook_runs(string name, string? content, string said)
    {
        using var folder = new TempFolder();
        var file = folder.File(name);
        if (content is not null)
        {
            File.WriteAllText(file, content);
        }

        var (code, _, error) = await CliRun.Run("report", "--notebooks", RepoPaths.Of("notebooks"), "--out", folder.File("out"), "--param", $"source={file}");

        Assert.Equal(CommandLine.Failure, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: Parameter source: ", line);
        Assert.Contains(file, line);
        Assert.Contains(said, line);
        Assert.False(Directory.Exists(folder.File("out"))); // checked before anything ran
    }

    [Fact]
    public async Task A_bug_is_shown_whole_with_its_stack_trace_and_exit_70()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand();
        var broken = new Command("broken");
        broken.SetAction((_, _) => CommandLine.Guard(error, () => Task.FromResult(((string)null!).Length)));
        root.Add(broken);

        var code = await CommandLine.RunAsync(root, ["broken"], output, error, CancellationToken.None);

        Assert.Equal(CommandLine.Bug, code);
        var text = error.ToString();
        Assert.StartsWith("internal error (a bug in this program", text);
        Assert.Contains("System.NullReferenceException", text);
        Assert.Contains(" at ", text);
    }

    [Fact]
    public async Task An_argument_exception_from_a_command_body_is_a_bug_not_one_line()
    {
        var error = new StringWriter();
        await Assert.ThrowsAsync<ArgumentException>(() => CommandLine.Guard(error, () => throw new ArgumentException("a caller passed nonsense")));
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task A_failure_the_user_can_fix_is_one_line_and_exit_1()
    {
        var error = new StringWriter();
        var code = await CommandLine.Guard(error, () => throw new ServiceRequestsException("data/x.json: row 3, field 'id': not text.\nSecond line."));
        Assert.Equal(CommandLine.Failure, code);
        Assert.Equal("error: data/x.json: row 3, field 'id': not text. Second line." + Environment.NewLine, error.ToString());
    }
}
