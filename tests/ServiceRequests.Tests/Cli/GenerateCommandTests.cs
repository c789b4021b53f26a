using ServiceRequests.Portal;
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

    [Fact]
    public async Task Inject_change_doubles_a_type_in_a_week_and_says_so()
    {
        using var folder = new TempFolder();
        var plain = folder.File("plain.json");
        var changed = folder.File("changed.json");
        string[] common = ["generate", "--issues", "3000", "--seed", "5", "--from", "2025-05-04", "--to", "2025-06-28"];
        Assert.Equal(0, (await Run([.. common, "--out", plain])).Code);
        var (code, output, error) = await Run([.. common, "--out", changed, "--inject-change", "2025-06-01:Illegal Dump Sites", "--sla", RepoPaths.Of("data", "sla.csv")]);
        Assert.True(code == 0, error);
        Assert.Contains("Injected: Illegal Dump Sites, created 2025-06-01 to 2025-06-07: volume ×2, median time to close ×2, share closed within 10 days −25 points.", output);
        static int InWeek(string path)
        {
            var frame = IssueData.LoadFile(path);
            return Enumerable.Range(0, (int)frame.Rows.Count).Count(r => (string?)frame[PortalSchema.RequestTypeTitle][r] == "Illegal Dump Sites"
                && frame[PortalSchema.CreatedAt][r] is DateTime t && t >= new DateTime(2025, 6, 1) && t < new DateTime(2025, 6, 8));
        }
        Assert.Equal(2 * InWeek(plain), InWeek(changed));
    }

    [Theory]
    [InlineData("Potholes")]
    [InlineData("2025-06-01:Unicorns")]
    public async Task A_bad_change_is_one_line_and_exit_1(string change)
    {
        using var folder = new TempFolder();
        var (code, _, error) = await Run("generate", "--issues", "10", "--out", folder.File("x.json"), "--inject-change", change, "--sla", RepoPaths.Of("data", "sla.csv"));
        Assert.Equal(CommandLine.Failure, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(folder.File("x.json")));
    }
}
