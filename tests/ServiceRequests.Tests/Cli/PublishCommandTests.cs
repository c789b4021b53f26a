using ServiceRequests.Cli;
using ServiceRequests.Socrata;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;
using ServiceRequests.Tests.Socrata;
using static ServiceRequests.Tests.Infrastructure.CliRun;

namespace ServiceRequests.Tests.Cli;

/// <summary>The publish command reads its credentials from the environment, so these tests run alone.</summary>
[Collection(EnvironmentCollection.Name)]
public class PublishCommandTests
{
    private const string Token = "cli-app-token-5d1e77";

    private static EnvironmentVariables Credentials(string password = FakeSocrata.Password) => new(
        (SocrataClientOptions.AppTokenVariable, Token),
        (SocrataClientOptions.UsernameVariable, FakeSocrata.User),
        (SocrataClientOptions.PasswordVariable, password));

    private static void AssertNoSecret(params string[] texts)
    {
        foreach (var text in texts)
        {
            Assert.DoesNotContain(FakeSocrata.Password, text);
            Assert.DoesNotContain(Token, text);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{FakeSocrata.User}:{FakeSocrata.Password}")), text);
        }
    }

    [Fact]
    public async Task Publishes_with_progress_per_batch_and_never_prints_a_secret()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Put([FakeRows.Json(FakeRows.Sample(1)[0] with { Id = "old" })]);
        fake.LoseUpsertResponse = n => n == 1;
        using var folder = new TempFolder();
        var store = PortalPublisherTests.Store(folder, FakeRows.Sample(25), ["old"]);
        using var _ = Credentials();

        var (code, output, error) = await Run("publish", "--portal", fake.Portal.ToString(), "--dataset", FakeSocrata.DatasetId, "--from", store, "--batch-size", "10");

        Assert.Equal(0, code);
        Assert.Contains("upsert batch 1/3: 10 rows -> created 0, updated 10, deleted 0, errors 0", output);
        Assert.Contains("upsert batch 3/3: 5 rows -> created 5", output);
        Assert.Contains("delete batch 1/1: 1 ids -> created 0, updated 0, deleted 1, errors 0", output);
        Assert.Contains("Done: 25 new or changed rows upserted (0 unchanged since the last publish, not sent), 1 of 1 listed ids deleted.", output);
        Assert.Contains("app token set, credentials set", output);
        Assert.Contains("retrying in", error); // the lost answer of batch 1, retried
        Assert.Equal(25, fake.Table().Count);
        Assert.All(fake.Requests, r => Assert.Equal(Token, r.AppToken));
        AssertNoSecret(output, error);
    }

    [Fact]
    public async Task Failures_are_one_line_without_secrets()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.Intercept = async (context, _) =>
        {
            // A careless server that echoes the credentials it was sent.
            await FakeSocrata.Error(context, 403, "permission_denied",
                $"Denied for {context.Request.Headers.Authorization} with token {context.Request.Headers["X-App-Token"]}");
            return true;
        };
        using var folder = new TempFolder();
        var store = PortalPublisherTests.Store(folder, FakeRows.Sample(3));
        using var _ = Credentials();

        var (code, output, error) = await Run("publish", "--portal", fake.Portal.ToString(), "--dataset", FakeSocrata.DatasetId, "--from", store);

        Assert.Equal(CommandLine.Failure, code);
        Assert.StartsWith("error: Socrata answered HTTP 403", error);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("permission_denied", error);
        AssertNoSecret(output, error);
    }

    [Fact]
    public async Task A_dataset_without_row_identifier_is_one_line_saying_what_to_set()
    {
        await using var fake = await FakeSocrata.StartAsync();
        fake.RowIdentifier = null;
        using var folder = new TempFolder();
        var store = PortalPublisherTests.Store(folder, FakeRows.Sample(3));
        using var _ = Credentials();

        var (code, _, error) = await Run("publish", "--portal", fake.Portal.ToString(), "--dataset", FakeSocrata.DatasetId, "--from", store);

        Assert.Equal(CommandLine.Failure, code);
        var line = Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith($"error: The dataset {FakeSocrata.DatasetId} has no row identifier", line);
        Assert.Contains("set the dataset's row identifier to the column 'id'", line);
        Assert.Empty(fake.Table());
    }

    [Fact]
    public async Task The_private_folder_is_refused()
    {
        using var folder = new TempFolder();
        PortalPublisherTests.Store(folder, FakeRows.Sample(3));
        Directory.CreateDirectory(Path.Combine(folder.Path, "private"));
        File.WriteAllText(Path.Combine(folder.Path, "private", "issues.json"), "[]");
        using var _ = Credentials();

        var (code, _, error) = await Run("publish", "--portal", "https://data.example.org", "--dataset", FakeSocrata.DatasetId,
            "--from", Path.Combine(folder.Path, "private"));

        Assert.Equal(CommandLine.Failure, code);
        Assert.StartsWith("error: ", error);
        Assert.Contains("private table", error);
    }

    [Fact]
    public async Task A_dry_run_needs_no_credentials_and_sends_nothing()
    {
        await using var fake = await FakeSocrata.StartAsync();
        using var folder = new TempFolder();
        var store = PortalPublisherTests.Store(folder, FakeRows.Sample(12), ["1"]);
        using var _ = new EnvironmentVariables((SocrataClientOptions.UsernameVariable, null), (SocrataClientOptions.PasswordVariable, null));

        var (code, output, _) = await Run("publish", "--portal", fake.Portal.ToString(), "--dataset", FakeSocrata.DatasetId, "--from", store,
            "--batch-size", "5", "--dry-run");

        Assert.Equal(0, code);
        Assert.Contains("Dry run: nothing is sent.", output);
        Assert.Contains("upsert batch 3/3: 2 rows", output);
        Assert.Contains("Dry run done: 12 new or changed rows in 3 batches would be upserted (0 unchanged since the last publish); 1 ids are listed as deleted.", output);
        Assert.Empty(fake.Requests);
    }

    [Fact]
    public async Task Publishing_again_sends_only_changed_rows_and_resend_all_sends_every_row()
    {
        await using var fake = await FakeSocrata.StartAsync();
        using var folder = new TempFolder();
        var rows = FakeRows.Sample(12);
        var store = PortalPublisherTests.Store(folder, rows);
        using var credentials = Credentials();
        string[] publish = ["publish", "--portal", fake.Portal.ToString(), "--dataset", FakeSocrata.DatasetId, "--from", store];
        Assert.Equal(0, (await Run(publish)).Code);

        rows[5] = rows[5] with { Description = "changed" };
        PortalPublisherTests.Store(folder, rows);
        var (code, output, _) = await Run(publish);
        Assert.Equal(0, code);
        Assert.Contains("upsert batch 1/1: 1 rows -> created 0, updated 1, deleted 0, errors 0", output);
        Assert.Contains("Done: 1 new or changed rows upserted (11 unchanged since the last publish, not sent)", output);

        (code, output, _) = await Run([.. publish, "--resend-all"]);
        Assert.Equal(0, code);
        Assert.Contains("Done: 12 new or changed rows upserted (0 unchanged since the last publish, not sent)", output);
    }

    [Theory]
    [InlineData("--batch-size", "0")]
    [InlineData("--batch-size", "50001")]
    [InlineData("--dataset", "not-an-id")]
    [InlineData("--portal", "not a url")]
    public async Task Bad_options_give_one_error_line(string option, string value)
    {
        using var folder = new TempFolder();
        var store = PortalPublisherTests.Store(folder, FakeRows.Sample(2));
        var args = new Dictionary<string, string> { ["--portal"] = "https://data.example.org", ["--dataset"] = FakeSocrata.DatasetId, ["--from"] = store };
        args[option] = value;

        var (code, _, error) = await Run(["publish", .. args.SelectMany(a => new[] { a.Key, a.Value }), "--dry-run"]);

        Assert.Equal(CommandLine.Failure, code);
        Assert.StartsWith("error: ", error);
    }

    [Fact]
    public async Task Help_lists_the_publish_command()
    {
        var (code, output, _) = await Run("publish", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--dry-run", output);
        Assert.Contains("SOCRATA_USERNAME", output);
    }
}
