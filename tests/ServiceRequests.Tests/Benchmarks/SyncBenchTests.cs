using ServiceRequests.Benchmarks;

namespace ServiceRequests.Tests.Benchmarks;

/// <summary><c>bench sync</c> on a small input: every figure is printed, and the incremental sync costs one request per 100 changes.</summary>
public class SyncBenchTests
{
    [Fact]
    public async Task Prints_throughput_and_request_counts()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BenchCommand.RunAsync(["sync", "--issues", "3000", "--served", "5000"], output, error);
        Assert.True(code == 0, error.ToString());
        var text = output.ToString();
        Assert.Contains("--issues 3000 --served 5000", text);
        Assert.Matches(@"\| flatten \+ write, streaming .* \| [0-9,]+ issues/s", text);
        Assert.Matches(@"\| full sync of 5,000 issues \| 5[01] requests", text);
        Assert.Matches(@"\| incremental sync, 50 changed \(1%\) \| 1 requests", text);
    }

    [Fact]
    public async Task Refuses_sizes_that_measure_nothing()
    {
        var error = new StringWriter();
        var code = await BenchCommand.RunAsync(["sync", "--issues", "0"], new StringWriter(), error);
        Assert.Equal(BenchCommand.Failure, code);
        Assert.StartsWith("error: --issues must be 1 or more", error.ToString());
    }
}
