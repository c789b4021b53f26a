using ServiceRequests.Http;

namespace ServiceRequests.Tests;

/// <summary>A report run's defaults for live loads reach what the run starts, and nothing else in the process.</summary>
public class IssueDataDefaultsTests
{
    [Fact]
    public async Task A_runs_defaults_flow_into_what_it_starts_and_not_beyond_it()
    {
        var retry = new RetryOptions();
        Task<RetryOptions> outside;
        using (IssueData.UseDefaults(retry, CancellationToken.None))
        {
            Assert.Same(retry, IssueData.Retry);
            Assert.Same(retry, await Task.Run(() => IssueData.Retry));
            using (ExecutionContext.SuppressFlow())
            {
                outside = Task.Run(() => IssueData.Retry);
            }
            Assert.NotSame(retry, await outside);
        }
        Assert.NotSame(retry, IssueData.Retry);
    }
}
