using System.CommandLine;
using ServiceRequests.Cli.Commands;

namespace ServiceRequests.Cli;

/// <summary>The command-line program: one subcommand per job.</summary>
internal static class CommandLine
{
    /// <summary>Exit code for a failure the user can fix (bad input, unreachable server, ...).</summary>
    public const int Failure = 1;

    /// <summary>Exit code for a command line that does not parse.</summary>
    public const int UsageError = 2;

    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Build(TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "Improve Detroit (SeeClickFix) service-request toolkit: run the notebooks into HTML reports, sync from SeeClickFix, " +
            "publish to Socrata, save an ArcGIS layer, and generate sample data.");
        root.Add(ReportCommand.Create(output, error));
        root.Add(SyncCommand.Create(output, error));
        root.Add(PublishCommand.Create(output, error));
        root.Add(ArcGisCommand.Create(output, error));
        root.Add(GenerateCommand.Create(output, error));
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = Build(output, error);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var e in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {e.Message}");
            }
            await error.WriteLineAsync("Run with --help for usage.");
            return UsageError;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
    }

    /// <summary>
    /// Runs a command body and turns the failures a user can act on into one line on standard
    /// error and exit code <see cref="Failure"/>; the full exception is not shown (it may be long
    /// and is never needed to act). Cancellation (Ctrl+C) exits with 130.
    /// </summary>
    public static async Task<int> Guard(TextWriter error, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("error: cancelled.");
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException
                                       or InvalidOperationException or HttpRequestException or InvalidDataException
                                       or System.Text.Json.JsonException or NotSupportedException)
        {
            await error.WriteLineAsync($"error: {OneLine(e.Message)}");
            return Failure;
        }
    }

    /// <summary>
    /// The default retry policy, with each retry shown as one line on <paramref name="error"/>
    /// (<c>retrying in 2.6 s (attempt 1 failed: ...)</c>), so a long wait never looks like a hang.
    /// </summary>
    public static Http.RetryOptions ReportingRetries(TextWriter error) => new()
    {
        OnRetry = (attempt, wait, reason) => error.WriteLine(string.Create(
            System.Globalization.CultureInfo.InvariantCulture, $"  retrying in {wait.TotalSeconds:0.#} s (attempt {attempt} failed: {reason})")),
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
