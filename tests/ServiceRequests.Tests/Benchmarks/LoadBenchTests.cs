using ServiceRequests.Benchmarks;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Benchmarks;

public class LoadBenchTests
{
    [PandasFact]
    public async Task Measures_the_library_and_pandas_on_the_same_file_as_a_markdown_table()
    {
        using var folder = new TempFolder();
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await BenchCommand.RunAsync(["load", "--rows", "300", "--file", folder.File("bench.json")], output, error);

        Assert.True(code == 0, error.ToString());
        var text = output.ToString();
        Assert.Contains("| tool | rows | time (s) | rows/s | peak RSS (MiB) |", text);
        Assert.Contains("| ServiceRequests `IssueData.LoadFile` | 300 |", text);
        Assert.Contains("| pandas `pd.read_json` + typing | 300 |", text);
        Assert.Contains("| pandas `json.load` + `pd.json_normalize` + typing | 300 |", text);
        Assert.Contains("- pandas 1.5.3", text);
        Assert.Contains("faster", text);
    }

    [Fact]
    public async Task A_bad_row_count_is_one_error_line()
    {
        var error = new StringWriter();
        var code = await BenchCommand.RunAsync(["load", "--rows", "0"], new StringWriter(), error);
        Assert.Equal(BenchCommand.Failure, code);
        Assert.StartsWith("error: --rows", error.ToString());
    }
}
