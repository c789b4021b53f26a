using System.Text.Json;
using ServiceRequests.Cli;
using ServiceRequests.Sync;
using ServiceRequests.Tests.Infrastructure;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Tests.Cli;

/// <summary>
/// A sync run by cron or Task Scheduler is stopped by signals: SIGTERM (shutdown, systemd, a
/// timeout), SIGINT (Ctrl+C), SIGHUP (the terminal or ssh session that started it closes). Each
/// saves the progress and the next run resumes. Tested on the built program in a child process.
/// </summary>
public class SyncSignalTests
{
    [UnixTheory]
    [InlineData(CliProcess.SigHup)]
    [InlineData(CliProcess.SigTerm)]
    [InlineData(CliProcess.SigInt)]
    public async Task A_signal_mid_run_saves_the_progress_exits_130_and_the_next_run_resumes(int signal)
    {
        await using var fake = await FakeSeeClickFix.StartAsync(FakeSeeClickFix.Generate(900));
        using var folder = new TempFolder();
        CliProcess? child = null;
        fake.Intercept = async (context, n) =>
        {
            if (n != 5)
            {
                return false;
            }
            // The fifth page hangs; the signal comes while the program waits for it.
            Volatile.Read(ref child)!.Signal(signal);
            await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted).ContinueWith(_ => { });
            return true;
        };
        string[] args = ["sync", "--base-url", fake.BaseAddress.ToString(), "--place", "detroit", "--out", folder.Path, "--requests-per-minute", "600000"];
        using (var started = CliProcess.Start(args))
        {
            Volatile.Write(ref child, started);
            var code = await started.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.True(code == CommandLine.Cancelled, $"exit code {code}; standard error: {started.Err}");
            Assert.Equal("error: cancelled.", started.Err.Trim());
        }
        var state = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder.Path, StoreLayout.StateFile))).RootElement;
        Assert.True(state.GetProperty("in_progress").GetProperty("full").GetBoolean());
        var log = File.ReadAllLines(Path.Combine(folder.Path, StoreLayout.RunLogFile));
        Assert.Equal("cancelled", JsonDocument.Parse(log[^1]).RootElement.GetProperty("outcome").GetString());
        Assert.InRange(IssueStore.Open(folder.Path).Count, 300, 400);

        fake.Intercept = null;
        var rerun = await CliProcess.RunAsync(args);
        Assert.True(rerun.Code == 0, rerun.Err);
        Assert.Contains("Done (full, resumed)", rerun.Out);
        Assert.Equal(fake.Ids(), IssueStore.Open(folder.Path).Ids.Order());
    }
}
