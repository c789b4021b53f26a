using ServiceRequests.Cli;
using ServiceRequests.Tests.Infrastructure;
using static ServiceRequests.Tests.Infrastructure.CliRun;

namespace ServiceRequests.Tests.Cli;

public class GenerateCommandTests
{
    [Fact]
    public async Task Writes_the_requested_number_of_issues()
    {
        using var folder = new TempFolder();
        var path = folder.File("small.json");
        var (code, output, error) = await Run("generate", "--issues", "123", "--seed", "4", "--out", path);

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("Wrote 123 issues", output);
        Assert.Equal(123, IssueData.LoadFile(path).Rows.Count);
    }

    [Theory]
    [InlineData("--issues", "-5")]
    [InlineData("--issues", "lots")]
    [InlineData("--from", "2025-02-01", "--to", "2025-01-01")]
    public async Task Invalid_input_gives_one_line_and_a_non_zero_exit(params string[] args)
    {
        using var folder = new TempFolder();
        var (code, _, error) = await Run(["generate", .. args, "--out", folder.File("x.json")]);
        Assert.NotEqual(0, code);
        Assert.StartsWith("error: ", error);
        Assert.False(File.Exists(folder.File("x.json")));
    }

    [Fact]
    public async Task An_unwritable_path_gives_one_line_naming_it()
    {
        using var folder = new TempFolder();
        var blocker = folder.File("not-a-folder");
        File.WriteAllText(blocker, "");
        var (code, _, error) = await Run("generate", "--issues", "5", "--out", Path.Combine(blocker, "x.json"));
        Assert.Equal(CommandLine.Failure, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("not-a-folder", error);
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        var (code, output, _) = await Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("generate", output);
    }
}
