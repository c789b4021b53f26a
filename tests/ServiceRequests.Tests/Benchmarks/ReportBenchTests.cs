using System.Globalization;
using System.Text.RegularExpressions;
using ServiceRequests.Benchmarks;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Benchmarks;

/// <summary><c>bench report</c> on small notebooks: the table of cell times, wall time and peak memory.</summary>
[Collection(NotebookCollection.Name)]
public class ReportBenchTests
{
    [Fact]
    public async Task Prints_time_per_notebook_wall_time_and_peak_memory()
    {
        using var folder = new TempFolder();
        TestNotebook.Write(folder.Path, "one", "var x = 1;", "x + 1");
        TestNotebook.Write(folder.Path, "two", "System.Threading.Thread.Sleep(50);");
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BenchCommand.RunAsync(["report", "--notebooks", folder.Path], output, error);
        Assert.True(code == 0, error.ToString());
        var text = output.ToString();
        Assert.Contains("| notebook | code cells | slowest cell (s) | notebook total (s) |", text);
        var two = Regex.Match(text, @"\| two \| 1 \| ([0-9.]+) \(cell 2\) \| ([0-9.]+) \|");
        Assert.True(two.Success, text);
        Assert.True(double.Parse(two.Groups[1].Value, CultureInfo.InvariantCulture) >= 0.05, text);
        Assert.Matches(@"Wall time for all 2 notebooks, reports written: [0-9.]+ s", text);
        Assert.Matches(@"Peak resident memory \(VmHWM, whole process\): [1-9][0-9]* MiB", text);
        Assert.Contains("Machine: ", text);
    }
}
