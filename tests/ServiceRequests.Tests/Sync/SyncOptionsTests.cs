using ServiceRequests.Portal;
using ServiceRequests.Sync;

namespace ServiceRequests.Tests.Sync;

public class SyncOptionsTests
{
    [Fact]
    public void Defaults_are_a_15_minute_overlap_the_citys_redaction_and_5_minute_checkpoints()
    {
        var options = new SyncOptions();
        Assert.Equal(TimeSpan.FromMinutes(15), options.Overlap);
        Assert.Same(PublicRedaction.Default, options.Redaction);
        Assert.Equal(TimeSpan.FromMinutes(5), options.CheckpointInterval);
        Assert.False(options.Details);
        options.Validate();
    }

    [Fact]
    public void Negative_durations_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SyncOptions { Overlap = TimeSpan.FromMinutes(-1) }.Validate());
        Assert.Throws<ArgumentException>(() => new SyncOptions { CheckpointInterval = TimeSpan.FromMinutes(-1) }.Validate());
        using var client = new ServiceRequests.SeeClickFix.SeeClickFixClient(new Uri("https://seeclickfix.com"));
        Assert.Throws<ArgumentException>(() => new IssueSync(client, new ServiceRequests.SeeClickFix.IssueQuery { Place = "detroit" }, new SyncOptions { Overlap = TimeSpan.FromSeconds(-1) }));
    }
}
