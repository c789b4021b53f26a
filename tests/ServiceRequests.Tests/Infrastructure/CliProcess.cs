using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>
/// The built command-line program (the test output holds it) in a process of its own, for tests
/// that kill it or send it signals as cron, a logout or an administrator would.
/// </summary>
public sealed class CliProcess : IDisposable
{
    /// <summary>POSIX signal numbers (the same on Linux and macOS).</summary>
    public const int SigHup = 1, SigInt = 2, SigKill = 9, SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _err = new();

    private CliProcess(Process process) => _process = process;

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>What it printed on standard output so far.</summary>
    public string Out
    {
        get
        {
            lock (_out)
            {
                return _out.ToString();
            }
        }
    }

    /// <summary>What it printed on standard error so far.</summary>
    public string Err
    {
        get
        {
            lock (_err)
            {
                return _err.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the program with <paramref name="args"/>. The child gets this process's environment
    /// without the SeeClickFix credentials, then <paramref name="environment"/> (a null value removes a variable).
    /// </summary>
    public static CliProcess Start(IEnumerable<string> args, params (string Name, string? Value)[] environment)
    {
        var program = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "ServiceRequests.Cli.exe" : "ServiceRequests.Cli");
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in new[] { "SCF_TOKEN", "SCF_USER", "SCF_PASS" })
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new CliProcess(process);
        process.OutputDataReceived += (_, e) => Append(child._out, e.Data);
        process.ErrorDataReceived += (_, e) => Append(child._err, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Runs the program to its end; returns its exit code and output.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(IEnumerable<string> args, params (string Name, string? Value)[] environment)
    {
        using var child = Start(args, environment);
        var code = await child.WaitAsync(TimeSpan.FromMinutes(2));
        return (code, child.Out, child.Err);
    }

    /// <summary>Waits for the process to end (and its output to be read); returns the exit code (128 + the signal when a signal ended it).</summary>
    /// <exception cref="TimeoutException">It is still running after <paramref name="timeout"/>; it is killed.</exception>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The program did not end within {timeout}. Output: {Out} Error: {Err}");
        }
        return _process.ExitCode;
    }

    /// <summary>Sends <paramref name="signal"/> to the process (Unix only).</summary>
    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Kills the process outright (SIGKILL on Unix, as <c>kill -9</c>).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had already ended.
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (text)
        {
            text.AppendLine(line);
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
