using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using Microsoft.AspNetCore.Http;
using ServiceRequests.Cli;
using ServiceRequests.SeeClickFix;
using ServiceRequests.Sync;
using ServiceRequests.Tests.Infrastructure;
using ServiceRequests.TestSupport;
using static ServiceRequests.Tests.Infrastructure.CliRun;

namespace ServiceRequests.Tests.Cli;

/// <summary>The sync command reads its credentials from the environment, so these tests run alone.</summary>
[Collection(EnvironmentCollection.Name)]
public class SyncCommandTests
{
    private static readonly string Basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeSeeClickFix.User}:{FakeSeeClickFix.Password}"));

    private static void AssertNoSecret(string text)
    {
        Assert.DoesNotContain(FakeSeeClickFix.Token, text);
        Assert.DoesNotContain(FakeSeeClickFix.Password, text);
        Assert.DoesNotContain(Basic, text);
    }

    [Fact]
    public async Task Syncs_the_organization_with_a_token_printing_progress_lines_and_no_secret_anywhere()
    {
        await using var fake = await FakeSeeClickFix.StartAsync(FakeSeeClickFix.Generate(250));
        using var folder = new TempFolder();
        using var env = new EnvironmentVariables((SeeClickFixOptions.TokenVariable, FakeSeeClickFix.Token), (SeeClickFixOptions.UserVariable, null), (SeeClickFixOptions.PasswordVariable, null));
        fake.Intercept = async (context, n) =>
        {
            if (n != 2)
            {
                return false;
            }
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("down for " + context.Request.Headers.Authorization);
            return true;
        };
        var args = new[] { "sync", "--base-url", fake.BaseAddress.ToString(), "--organization", "507", "--out", folder.Path, "--requests-per-minute", "600000", "--overlap", "5" };
        var (code, output, error) = await Run(args);

        Assert.True(code == 0, error);
        Assert.Contains("credentials: token (SCF_TOKEN)", output);
        Assert.Contains("page 1: 100 issues fetched, 150 to go", output);
        Assert.Contains("Done (full): ", output);
        Assert.Contains("250 inserted", output);
        Assert.Contains("retrying", error);
        AssertNoSecret(output + error);
        foreach (var file in Directory.EnumerateFiles(folder.Path, "*", SearchOption.AllDirectories))
        {
            AssertNoSecret(File.ReadAllText(file));
        }
        Assert.Contains("\"outcome\":\"success\"", File.ReadAllText(Path.Combine(folder.Path, StoreLayout.RunLogFile)));

        var again = await Run(args);
        Assert.Equal(0, again.Code);
        Assert.Contains("Done (incremental): 1 pages, 1 requests", again.Out);
    }

    [Fact]
    public async Task Refused_credentials_exit_non_zero_with_one_line_that_holds_no_secret()
    {
        await using var fake = await FakeSeeClickFix.StartAsync(FakeSeeClickFix.Generate(10));
        using var folder = new TempFolder();
        using var env = new EnvironmentVariables((SeeClickFixOptions.TokenVariable, null), (SeeClickFixOptions.UserVariable, FakeSeeClickFix.User), (SeeClickFixOptions.PasswordVariable, "wrong-" + FakeSeeClickFix.Password));
        var (code, output, error) = await Run("sync", "--base-url", fake.BaseAddress.ToString(), "--organization", "507", "--out", folder.Path, "--requests-per-minute", "600000");
        Assert.Equal(CommandLine.Failure, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: SeeClickFix answered HTTP 401", line);
        Assert.Contains("SCF_TOKEN", line);
        AssertNoSecret(output + error);
        var log = File.ReadAllText(Path.Combine(folder.Path, StoreLayout.RunLogFile));
        Assert.Contains("\"outcome\":\"failed\"", log);
        AssertNoSecret(log);
    }

    [Theory]
    [InlineData("error: Name the source", "--out", "x")]
    [InlineData("error: The organization endpoint needs an account", "--organization", "507", "--out", "x")]
    [InlineData("error: Give --redact-types or --redact-types-file, not both", "--place", "detroit", "--out", "x", "--redact-types", "A", "--redact-types-file", "f")]
    public async Task Usage_mistakes_are_one_line(string expected, params string[] rest)
    {
        using var env = new EnvironmentVariables((SeeClickFixOptions.TokenVariable, null), (SeeClickFixOptions.UserVariable, null), (SeeClickFixOptions.PasswordVariable, null));
        var (code, _, error) = await Run(["sync", "--base-url", "http://127.0.0.1:9/", .. rest]);
        Assert.Equal(CommandLine.Failure, code);
        Assert.StartsWith(expected, error);
    }

    [Fact]
    public async Task Redacted_types_can_come_from_a_file()
    {
        await using var fake = await FakeSeeClickFix.StartAsync(FakeSeeClickFix.Generate(120));
        using var folder = new TempFolder();
        using var env = new EnvironmentVariables((SeeClickFixOptions.TokenVariable, null), (SeeClickFixOptions.UserVariable, null), (SeeClickFixOptions.PasswordVariable, null));
        var list = folder.File("redact.txt");
        File.WriteAllLines(list, ["# types to redact", "Potholes", "Tree Issue"]);
        var (code, output, error) = await Run("sync", "--base-url", fake.BaseAddress.ToString(), "--place", "detroit", "--out", Path.Combine(folder.Path, "store"),
            "--requests-per-minute", "600000", "--redact-types-file", list);
        Assert.True(code == 0, error);
        Assert.Contains("redacted in public: Potholes, Tree Issue", output);
    }

    [Fact]
    public async Task The_public_export_passes_the_publish_commands_checks()
    {
        await using var fake = await FakeSeeClickFix.StartAsync(FakeSeeClickFix.Generate(150));
        using var folder = new TempFolder();
        using var env = new EnvironmentVariables((SeeClickFixOptions.TokenVariable, null), (SeeClickFixOptions.UserVariable, null), (SeeClickFixOptions.PasswordVariable, null));
        var sync = await Run("sync", "--base-url", fake.BaseAddress.ToString(), "--place", "detroit", "--out", folder.Path, "--requests-per-minute", "600000");
        Assert.True(sync.Code == 0, sync.Err);
        fake.Delete(fake.Ids().First());
        var full = await Run("sync", "--base-url", fake.BaseAddress.ToString(), "--place", "detroit", "--out", folder.Path, "--requests-per-minute", "600000", "--full");
        Assert.True(full.Code == 0, full.Err);
        Assert.Contains("1 deleted", full.Out);

        var (code, output, error) = await Run("publish", "--portal", "https://data.example.org", "--dataset", "abcd-1234", "--from", folder.Path, "--dry-run");
        Assert.True(code == 0, error);
        Assert.Contains("149 new or changed rows in 1 batches would be upserted (0 unchanged since the last publish); 1 ids are listed as deleted", output);
    }

    [Fact]
    public async Task Plain_progress_shows_the_first_pages_then_every_twentieth_and_the_last()
    {
        await using var fake = await FakeSeeClickFix.StartAsync(FakeSeeClickFix.Generate(2_550));
        using var folder = new TempFolder();
        using var env = new EnvironmentVariables((SeeClickFixOptions.TokenVariable, null), (SeeClickFixOptions.UserVariable, null), (SeeClickFixOptions.PasswordVariable, null));
        var (code, output, error) = await Run("sync", "--base-url", fake.BaseAddress.ToString(), "--place", "detroit", "--out", folder.Path, "--requests-per-minute", "600000");
        Assert.True(code == 0, error);
        var pages = output.Split('\n').Where(l => l.StartsWith("  page ", StringComparison.Ordinal)).Select(l => int.Parse(l[7..l.IndexOf(':')], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 20, pages[^1]], pages);
        Assert.InRange(pages[^1], 26, 28);
        Assert.Contains(", 0 to go,", output.Split('\n').Last(l => l.StartsWith("  page ", StringComparison.Ordinal)));
    }
    [Fact]
    public async Task A_store_file_cut_after_the_save_fails_the_next_sync_with_one_line_and_sync_full_repairs_it_saying_so()
    {
        await using var fake = await FakeSeeClickFix.StartAsync(FakeSeeClickFix.Generate(300));
        using var folder = new TempFolder();
        using var env = new EnvironmentVariables((SeeClickFixOptions.TokenVariable, null), (SeeClickFixOptions.UserVariable, null), (SeeClickFixOptions.PasswordVariable, null));
        string[] args = ["sync", "--base-url", fake.BaseAddress.ToString(), "--place", "detroit", "--out", folder.Path, "--requests-per-minute", "600000"];
        var first = await Run(args);
        Assert.True(first.Code == 0, first.Err);
        // 100 rows cut at a line boundary, as a restore from a truncated copy leaves it.
        var table = Path.Combine(folder.Path, StoreLayout.PrivateTable);
        var lines = File.ReadAllText(table).Split("\r\n");
        File.WriteAllText(table, string.Join("\r\n", lines[..^101]) + "\r\n");

        var refused = await Run(args);
        Assert.Equal(CommandLine.Failure, refused.Code);
        var line = Assert.Single(refused.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: '{table}' is not what the last save wrote", line);
        Assert.Contains("(300 rows)", line);
        Assert.Contains("full sync", line);

        var repaired = await Run([.. args, "--full"]);
        Assert.True(repaired.Code == 0, repaired.Err);
        Assert.Contains("repaired: private/issues.csv is not what the last save wrote", repaired.Err);
        Assert.Contains("repaired: private/issues.csv: 100 ids known only from public/issues.csv are fetched again", repaired.Err);
        Assert.Contains("100 inserted", repaired.Out);
        Assert.Equal(fake.Ids(), IssueStore.Open(folder.Path).Ids.Order());
        var again = await Run(args);
        Assert.True(again.Code == 0 && again.Err.Length == 0, again.Err);
    }

    [Fact]
    public async Task Out_naming_a_file_says_so_not_that_another_sync_is_running()
    {
        using var folder = new TempFolder();
        using var env = new EnvironmentVariables((SeeClickFixOptions.TokenVariable, null), (SeeClickFixOptions.UserVariable, null), (SeeClickFixOptions.PasswordVariable, null));
        var file = folder.File("issues.csv");
        File.WriteAllText(file, "id\n");
        var (code, _, error) = await Run("sync", "--base-url", "http://127.0.0.1:9/", "--place", "detroit", "--out", file);
        Assert.Equal(CommandLine.Failure, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("Another sync", line);
        Assert.Contains(file, line);
        Assert.Contains("is a file", line);
        Assert.Equal("id\n", File.ReadAllText(file));
    }

    [ReadOnlyFolderFact]
    [UnsupportedOSPlatform("windows")]
    public async Task A_read_only_store_folder_says_it_cannot_be_written_not_that_another_sync_is_running()
    {
        using var store = new ReadOnlyFolder();
        using var env = new EnvironmentVariables((SeeClickFixOptions.TokenVariable, null), (SeeClickFixOptions.UserVariable, null), (SeeClickFixOptions.PasswordVariable, null));
        var (code, _, error) = await Run("sync", "--base-url", "http://127.0.0.1:9/", "--place", "detroit", "--out", store.Path);
        Assert.Equal(CommandLine.Failure, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("Another sync", line);
        Assert.Contains(Path.Combine(store.Path, StoreLayout.LockFile), line);
        Assert.Contains("cannot be written", line);
    }

    [Fact]
    public async Task A_held_lock_still_says_another_sync_is_running()
    {
        using var folder = new TempFolder();
        using var env = new EnvironmentVariables((SeeClickFixOptions.TokenVariable, null), (SeeClickFixOptions.UserVariable, null), (SeeClickFixOptions.PasswordVariable, null));
        using var held = new FileStream(Path.Combine(folder.Path, StoreLayout.LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var (code, _, error) = await Run("sync", "--base-url", "http://127.0.0.1:9/", "--place", "detroit", "--out", folder.Path);
        Assert.Equal(CommandLine.Failure, code);
        Assert.StartsWith("error: Another sync is running on", Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
