using System.Globalization;
using ServiceRequests.Benchmarks;
using ServiceRequests.Tests.Infrastructure;
using static ServiceRequests.Tests.Infrastructure.CliRun;

namespace ServiceRequests.Tests.Benchmarks;

/// <summary><c>bench compare</c> on tiny data: every peer runs, its weekly table is checked equal to the library's, and the Markdown table is printed.</summary>
public class CompareBenchTests
{
    private static string[] Row(string output, string start) =>
        output.Split('\n').Single(l => l.StartsWith(start, StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);

    [Fact]
    public async Task The_library_and_DuckDB_give_the_same_weekly_table_from_JSON_and_Parquet()
    {
        var (code, output, error) = await Bench("compare", "--rows", "2000", "--runs", "1", "--no-pandas");

        Assert.True(code == 0, error);
        Assert.Contains("| peer | reads | min (s) | median (s) | peak RSS (MiB) | × fastest peer (min) |", output);
        foreach (var format in new[] { "JSON", "Parquet" })
        {
            var ours = output.Split('\n').Where(l => l.StartsWith("| ServiceRequests", StringComparison.Ordinal) && l.Contains($"| {format} |", StringComparison.Ordinal)).ToList();
            var duck = output.Split('\n').Single(l => l.StartsWith("| DuckDB", StringComparison.Ordinal) && l.Contains($"| {format} |", StringComparison.Ordinal));
            Assert.Equal(2, ours.Count);
            Assert.Single(ours, l => l.Contains("IssueMetrics.InputColumns", StringComparison.Ordinal));
            Assert.All(ours, l => Assert.True(double.Parse(l.Split('|', StringSplitOptions.TrimEntries)[3], CultureInfo.InvariantCulture) > 0, l));
            Assert.Equal("1.00", duck.Split('|', StringSplitOptions.TrimEntries)[6]);
            foreach (var columns in new[] { "the metrics' columns", "every column" })
            {
                Assert.Matches($"From {format}, {columns}: the library is [0-9.]+× (faster|slower) than the fastest peer \\(DuckDB", output);
            }
        }
        Assert.Matches(@"checked equal to the library's \([0-9,]+ type-week cells\)", output);
        Assert.DoesNotContain("pandas", output);
    }

    [PandasFact]
    public async Task The_pandas_peers_give_the_same_weekly_table()
    {
        var (code, output, error) = await Bench("compare", "--rows", "1500", "--runs", "2");

        Assert.True(code == 0, error);
        var expert = Row(output, "| pandas expert");
        var original = Row(output, "| pandas as the original notebook");
        Assert.All(new[] { expert, original }, row => Assert.True(double.Parse(row[4], CultureInfo.InvariantCulture) > 0, string.Join('|', row)));
        Assert.Contains("- pandas 1.", output);
    }

    [Theory]
    [InlineData("--rows", "0")]
    [InlineData("--runs", "0")]
    public async Task Invalid_counts_give_one_error_line(params string[] args)
    {
        var (code, _, error) = await Bench(["compare", .. args]);
        Assert.Equal(BenchCommand.Failure, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains("1 or more", error);
    }
}

/// <summary><c>bench scale</c> on tiny data, from JSON and from Parquet.</summary>
public class ScaleBenchTests
{
    [Theory]
    [InlineData("json")]
    [InlineData("parquet")]
    public async Task Loads_and_runs_the_suite_and_prints_peak_memory_per_million_rows(string from)
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "issues.json");
        var (code, output, error) = await Bench("scale", "--rows", "2000", "--file", file, "--from", from);

        Assert.True(code == 0, error);
        var row = output.Split('\n').Single(l => l.StartsWith("| 2,000 |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries);
        Assert.Equal(from, row[2]);
        Assert.True(double.Parse(row[7], NumberStyles.Number, CultureInfo.InvariantCulture) > 0, string.Join('|', row));
        Assert.True(long.Parse(row[9], NumberStyles.Number, CultureInfo.InvariantCulture) > 100, string.Join('|', row));
        Assert.Contains("run again for a clean figure", output);
    }

    [Fact]
    public async Task Copies_write_the_generated_rows_several_times_over_with_distinct_ids()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "issues.json");
        var (code, output, error) = await Bench("scale", "--rows", "3000", "--copies", "3", "--file", file, "--from", "parquet");

        Assert.True(code == 0, error);
        Assert.Contains("| 3,000 | parquet |", output);
        var frame = IssueData.LoadFile(Path.ChangeExtension(file, ".parquet"));
        var ids = (Microsoft.Data.Analysis.StringDataFrameColumn)frame[ServiceRequests.Portal.PortalSchema.Id];
        Assert.Equal(3000, ids.Distinct().Count());
        var (refused, _, message) = await Bench("scale", "--rows", "3000", "--copies", "7", "--file", file, "--from", "parquet");
        Assert.Equal(BenchCommand.Failure, refused);
        Assert.Contains("--copies", message);
    }
}
