using System.Globalization;
using ServiceRequests.Benchmarks;
using ServiceRequests.Metrics;
using ServiceRequests.Tests.Infrastructure;
using ServiceRequests.Tests.Metrics;
using static ServiceRequests.Tests.Infrastructure.CliRun;

namespace ServiceRequests.Tests.Benchmarks;

/// <summary><c>bench metrics</c> on a small input: both sides run and the Markdown table is printed.</summary>
public class MetricsBenchTests
{
    [PandasFact]
    public async Task Times_both_sides_and_prints_a_markdown_table()
    {
        var (code, output, error) = await Bench("metrics", "--issues", "3000", "--runs", "2", "--duration", "WallClock");
        Assert.True(code == 0, error);
        Assert.Contains("| implementation | compute (s) | resident after load (MiB) | peak while computing (MiB) |", output);
        var csharp = output.Split('\n').Single(l => l.StartsWith("| C# IssueMetrics, median of 2 run(s) |", StringComparison.Ordinal));
        var pandas = output.Split('\n').Single(l => l.StartsWith("| pandas (metrics_reference.py) |", StringComparison.Ordinal));
        foreach (var row in new[] { csharp, pandas })
        {
            var cells = row.Split('|', StringSplitOptions.TrimEntries);
            Assert.True(double.Parse(cells[2], CultureInfo.InvariantCulture) > 0, row);
            Assert.True(double.Parse(cells[4], NumberStyles.Number, CultureInfo.InvariantCulture) > 0, row);
        }
        Assert.Matches(@"C# is [0-9.]+× faster than pandas", output);
        Assert.Contains("Machine: ", output);
        Assert.Contains("--issues 3000", output);
    }

    [Fact]
    public void The_suite_computes_every_table()
    {
        var frame = Issues.Frame(new Issue("Potholes", "2025-06-02 08:00", "2025-06-03 08:00"), new Issue("Tree Issue", "2025-06-12 08:00"));
        var sla = SlaTable.Parse("request_type_title,department,sla_days\nPotholes,Public Works,2\n");
        Assert.True(MetricsBench.Suite(frame, sla, new MetricOptions()) > 100);
    }

    [Theory]
    [InlineData("--issues", "0")]
    [InlineData("--runs", "0")]
    public async Task Invalid_counts_give_one_error_line(params string[] args)
    {
        var (code, _, error) = await Bench(["metrics", .. args]);
        Assert.Equal(BenchCommand.Failure, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains("1 or more", error);
    }

    [Fact]
    public async Task A_python_without_pandas_is_named_with_what_to_install()
    {
        var (code, _, error) = await Bench("metrics", "--issues", "50", "--runs", "1", "--python", "/nonexistent/python3");
        Assert.Equal(BenchCommand.Failure, code);
        Assert.Contains("error: Could not start '/nonexistent/python3'", error);
        Assert.Contains("python3-pandas", error);
    }
}
