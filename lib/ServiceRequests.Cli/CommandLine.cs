using System.CommandLine;
using ServiceRequests.Cli.Commands;
using ServiceRequests.IO;

namespace ServiceRequests.Cli;

/// <summary>The command-line program: one subcommand per job.</summary>
internal static class CommandLine
{
    /// <summary>Exit code for a failure the user can fix (bad input, unreachable server, ...): one line on standard error.</summary>
    public const int Failure = 1;

    /// <summary>Exit code for a command line that does not parse.</summary>
    public const int UsageError = 2;

    /// <summary>Exit code for a bug (an exception that is not a failure the user can fix), as BSD's EX_SOFTWARE.</summary>
    public const int Bug = 70;

    /// <summary>Exit code when stopped by a signal (Ctrl+C, SIGTERM, SIGHUP) after saving, as a shell reports SIGINT.</summary>
    public const int Cancelled = 130;

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

    /// <summary>
    /// Parses and runs <paramref name="args"/>; returns the process exit code. Everything the
    /// program prints passes through <see cref="ScrubbingWriter"/>, so no form of a credential is
    /// ever shown, whatever a server sent back.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        using var scrubbedOutput = new ScrubbingWriter(output);
        using var scrubbedError = new ScrubbingWriter(error);
        return await RunAsync(Build(scrubbedOutput, scrubbedError), args, scrubbedOutput, scrubbedError, cancellationToken);
    }

    /// <summary>Parses <paramref name="args"/> with <paramref name="root"/> and runs the command; returns the process exit code.</summary>
    internal static async Task<int> RunAsync(RootCommand root, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
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
        try
        {
            // Stop signals are the caller's (Program's StopSignals), with no time limit on saving: System.CommandLine's own handler would end the process after two seconds.
            var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parsed.InvokeAsync(configuration, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not a failure the user can fix: a bug. Show all of it.
            await error.WriteLineAsync($"internal error (a bug in this program; please report it with what follows):{Environment.NewLine}{e}");
            return Bug;
        }
    }

    /// <summary>
    /// Runs a command body and turns the failures a user can fix (<see cref="ServiceRequestsException"/>)
    /// into one line on standard error and exit code <see cref="Failure"/>; the full exception is not
    /// shown (it may be long and is never needed to act). Cancellation (Ctrl+C) exits with 130.
    /// Anything else is a bug and goes on to <see cref="RunAsync"/>, which shows it whole.
    /// </summary>
    public static Task<int> Guard(TextWriter error, Func<Task<int>> body) =>
        Guard(error, null, null, _ => body(), CancellationToken.None);

    /// <summary>
    /// <see cref="Guard(TextWriter, Func{Task{int}})"/> for a command with <c>--deadline</c>: the
    /// body gets a token that is cancelled at <paramref name="deadline"/> seconds (none when null),
    /// and stopping there is one line (with <paramref name="atDeadline"/>, what is kept) and exit code 1.
    /// </summary>
    public static async Task<int> Guard(TextWriter error, double? deadline, string? atDeadline, Func<CancellationToken, Task<int>> body, CancellationToken cancel)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        try
        {
            if (deadline is { } seconds)
            {
                limit.CancelAfter(Seconds(seconds, DeadlineName));
            }
            return await body(limit.Token);
        }
        catch (OperationCanceledException) when (deadline is { } seconds && limit.IsCancellationRequested && !cancel.IsCancellationRequested)
        {
            await error.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"error: stopped at the deadline ({DeadlineName} {seconds:0.###} s).{(atDeadline is null ? "" : " " + atDeadline)}"));
            return Failure;
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("error: cancelled.");
            return Cancelled;
        }
        catch (ServiceRequestsException e)
        {
            await error.WriteLineAsync($"error: {OneLine(e.Message)}");
            return Failure;
        }
    }

    /// <summary>
    /// Builds what a command needs from its options' values. A value the library refuses (an
    /// <see cref="ArgumentException"/>) becomes a failure the user can fix, naming the option
    /// that gave it: <paramref name="options"/> maps the library's parameter names to options.
    /// </summary>
    public static T FromOptions<T>(Func<T> build, params (string Parameter, string Option)[] options)
    {
        try
        {
            return build();
        }
        catch (ArgumentException e)
        {
            var message = e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
            var option = options.FirstOrDefault(o => o.Parameter == e.ParamName).Option;
            throw new ServiceRequestsException(option is null ? message : $"{option}: {message}", e);
        }
    }

    /// <summary>Runs a check of options' values, as <see cref="FromOptions{T}"/> builds from them.</summary>
    public static void FromOptions(Action check, params (string Parameter, string Option)[] options) =>
        FromOptions(() =>
        {
            check();
            return true;
        }, options);

    /// <summary>The name of the option that bounds a whole command's run.</summary>
    public const string DeadlineName = "--deadline";

    /// <summary>The name of the option that bounds one request's attempt.</summary>
    public const string TimeoutName = "--timeout";

    /// <summary>The default of <c>--timeout</c>, in seconds.</summary>
    public const double DefaultTimeout = 60;

    /// <summary><c>--timeout</c>: how long one request may take to answer completely before it is given up on and retried.</summary>
    public static Option<double> TimeoutOption() => new(TimeoutName)
    {
        Description = "Seconds one request may take to answer completely (headers and body) before it is given up on and retried; " +
                      "a request gives up for good after 6 attempts or 3 minutes (at least one timeout).",
        DefaultValueFactory = _ => DefaultTimeout,
    };

    /// <summary><c>--deadline</c>: how long the whole command may run.</summary>
    public static Option<double?> DeadlineOption() => new(DeadlineName)
    {
        Description = "Seconds the whole command may run; at the deadline it stops with exit code 1 (default: no limit).",
    };

    /// <summary>
    /// The retry policy of a command: <paramref name="timeout"/> seconds per attempt (from
    /// <c>--timeout</c>), each retry shown as one line on <paramref name="error"/>
    /// (<c>retrying in 2.6 s (attempt 1 failed: ...)</c>), so a long wait never looks like a hang.
    /// </summary>
    /// <exception cref="ServiceRequestsException">The timeout is not a number of seconds from 0.001 to a day.</exception>
    public static Http.RetryOptions ReportingRetries(TextWriter error, double timeout = DefaultTimeout) =>
        new Http.RetryOptions { AttemptTimeout = Seconds(timeout, TimeoutName) }.PrintingTo(error);

    /// <summary><paramref name="seconds"/> as a time span.</summary>
    /// <exception cref="ServiceRequestsException">Not a number of seconds from 0.001 to a day, naming <paramref name="option"/>.</exception>
    private static TimeSpan Seconds(double seconds, string option) =>
        seconds >= 0.001 && seconds <= Http.RetryOptions.Longest.TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new ServiceRequestsException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{option} {seconds}: give a number of seconds from 0.001 to {Http.RetryOptions.Longest.TotalSeconds:0} (a day)."));

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
