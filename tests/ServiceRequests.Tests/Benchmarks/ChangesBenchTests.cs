using static ServiceRequests.Tests.Infrastructure.CliRun;

namespace ServiceRequests.Tests.Benchmarks;

/// <summary><c>bench changes</c> on a few small data sets.</summary>
public class ChangesBenchTests
{
    [Fact]
    public async Task Prints_the_table_with_the_command_the_machine_and_the_unchanged_rows()
    {
        var (code, output, error) = await Bench("changes", "--seeds", "1-2", "--scenario", "volume100-large-2", "--weeks", "24", "--draws", "50");

        Assert.True(code == 0, error);
        Assert.Contains("Command: `bench changes --seeds 1-2 --scenario volume100-large-2 --weeks 24 --draws 50 --threads ", output);
        Assert.Contains("Machine: ", output);
        Assert.Contains("| change | type | lasts | data sets | found: week | found: window | found: either | oracle | efficiency |", output);
        Assert.Matches(@"\| volume \+100 % \| ≥ 40/wk \| 2 wk \| 2 \| [0-9]+ % \| ", output);
        Assert.DoesNotContain("No change", output);
    }

    [Theory]
    [InlineData("--seeds", "5-1", "error: --seeds: '5-1' is not a seed or a range of seeds such as 1-100.")]
    [InlineData("--scenario", "volume7", "error: --scenario: no scenario key starts with 'volume7'.")]
    [InlineData("--weeks", "10", "error: --weeks must be 20 or more, --draws and --threads 1 or more (got 10, 2000 and 2).")]
    public async Task Bad_options_are_one_line(string option, string value, string expected)
    {
        var (code, _, error) = await Bench("changes", option, value);
        Assert.Equal(1, code);
        Assert.Equal(expected.Replace("and 2)", $"and {Environment.ProcessorCount})", StringComparison.Ordinal), error.Trim());
    }
}
