using System.Globalization;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;
using static ServiceRequests.Tests.Infrastructure.CliRun;

namespace ServiceRequests.Tests.Benchmarks;

/// <summary><c>bench districts</c> on a small input.</summary>
public class DistrictsBenchTests
{
    [Fact]
    public async Task Prints_the_table_with_the_command_the_machine_and_the_points_in_a_district()
    {
        var (code, output, error) = await Bench("districts", "--points", "20000", "--runs", "2", "--peers", "");

        Assert.True(code == 0, error);
        Assert.Contains("Command: `bench districts --points 20000 --runs 2`", output);
        Assert.Contains("Machine: ", output);
        Assert.Matches(@"Input: 20,000 uniform random points over the districts' bounding box \(1[01],[0-9]{3} fall in a district\)", output);
        Assert.Contains("| C# BoundaryLayer.Locate (STRtree + indexed point in polygon), median of 2 | ", output);
        Assert.DoesNotContain("Python", output);
    }

    [MatplotlibFact]
    public async Task The_matplotlib_peer_gives_every_point_the_same_district()
    {
        var (code, output, error) = await Bench("districts", "--points", "50000", "--runs", "1", "--peers", "matplotlib", "--python", Tools.PythonWith("matplotlib")!);

        Assert.True(code == 0, error);
        var row = output.Split('\n').Single(l => l.StartsWith("| Python matplotlib |", StringComparison.Ordinal));
        var cells = row.Split('|', StringSplitOptions.TrimEntries);
        Assert.True(double.Parse(cells[2], CultureInfo.InvariantCulture) > 0, row);
        Assert.Equal("0", cells[4]);
        Assert.Matches(@"Fastest peer: matplotlib; C# \(median\) / fastest peer = [0-9.]+", output);
    }

    [Theory]
    [InlineData("--peers", "shapely", "error: --peers: 'shapely' is not a peer; the peers are matplotlib, geopandas.")]
    [InlineData("--points", "0", "error: --points and --runs must be 1 or more (got 0 and 5).")]
    public async Task Bad_options_are_one_line(string option, string value, string expected)
    {
        var (code, _, error) = await Bench("districts", option, value);
        Assert.Equal(1, code);
        Assert.Equal(expected, error.Trim());
    }

    [Fact]
    public async Task A_python_that_cannot_start_is_named()
    {
        var (code, _, error) = await Bench("districts", "--points", "100", "--runs", "1", "--peers", "matplotlib", "--python", "/nonexistent/python3");
        Assert.Equal(1, code);
        Assert.Contains("Could not start '/nonexistent/python3'", error);
    }
}
