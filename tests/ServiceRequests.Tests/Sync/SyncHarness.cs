using ServiceRequests.SeeClickFix;
using ServiceRequests.SeeClickFix.Model;
using ServiceRequests.Sync;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Sync;

/// <summary>A fake SeeClickFix, a fast client and a store folder, for sync tests.</summary>
internal sealed class SyncHarness : IAsyncDisposable
{
    private readonly TempFolder _folder = new();

    private SyncHarness(FakeSeeClickFix fake) => Fake = fake;

    public FakeSeeClickFix Fake { get; }
    public FastRetry Retry { get; } = new();
    public string Store => _folder.Path;

    public static async Task<SyncHarness> StartAsync(int issues = 450, int seed = 5) => await StartAsync(FakeSeeClickFix.Generate(issues, seed));

    public static async Task<SyncHarness> StartAsync(IEnumerable<ServiceRequest> issues) => new(await FakeSeeClickFix.StartAsync(issues));

    public SeeClickFixClient Client(string? token = null, TimeSpan? attemptTimeout = null) => new(Fake.BaseAddress, new SeeClickFixOptions
    {
        Token = token,
        Credentials = null,
        RequestsPerMinute = 600_000,
        Retry = Retry.Options(attempts: 8) with { AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(20) },
    });

    public async Task<SyncReport> RunAsync(bool full = false, SyncOptions? options = null, long? organization = null, TimeSpan? attemptTimeout = null,
        CancellationToken cancellationToken = default)
    {
        using var client = Client(organization is null ? null : FakeSeeClickFix.Token, attemptTimeout);
        var query = organization is null ? new IssueQuery { Place = FakeSeeClickFix.Place } : new IssueQuery { Organization = organization };
        return await new IssueSync(client, query, options ?? new SyncOptions()).RunAsync(Store, full, null, cancellationToken);
    }

    /// <summary>Asserts the private table equals what the endpoint serves, row for row.</summary>
    public void AssertEqualsTruth(bool organization = false, bool details = false)
    {
        var truth = Fake.Truth(organization, details);
        var store = IssueStore.Open(Store);
        Assert.Equal(truth.Keys, store.Ids.Order());
        var rows = store.Rows().ToList();
        var i = 0;
        foreach (var issue in truth.Values)
        {
            var expected = FlatIssue.ToValues(issue, FlatIssue.PrivateColumns).Select(v => v is { Length: 0 } ? null : v).ToArray();
            Assert.Equal(expected, rows[i++]);
        }
    }

    /// <summary>Every file of the store but the run log, with its bytes.</summary>
    public Dictionary<string, byte[]> Files() =>
        Directory.EnumerateFiles(Store, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != StoreLayout.RunLogFile)
            .ToDictionary(f => Path.GetRelativePath(Store, f), File.ReadAllBytes);

    public string[] RunLog() => File.ReadAllLines(Path.Combine(Store, StoreLayout.RunLogFile));

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        _folder.Dispose();
    }
}
