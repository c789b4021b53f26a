using System.Runtime.InteropServices;

namespace ServiceRequests.Cli;

/// <summary>
/// Turns the signals that ask the program to stop into cancellation of its token, so the running
/// command stops at its next wait and saves its progress, however long that takes: SIGINT
/// (Ctrl+C), SIGTERM (shutdown, systemd, a scheduler's time limit) and SIGHUP (the terminal or ssh
/// session that started it closed; a sync started by hand and left running would otherwise die
/// without saving). A second signal ends the process at once, as without this; a save it cuts
/// short is undone or finished by the next run.
/// </summary>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _received;

    /// <summary>Cancels <paramref name="stop"/> on the first stop signal.</summary>
    public StopSignals(CancellationTokenSource stop)
    {
        _stop = stop;
        if (OperatingSystem.IsAndroid() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS() || OperatingSystem.IsBrowser())
        {
            return;
        }
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _received) == 1)
        {
            // Keep running: the command sees the cancellation, saves and exits.
            context.Cancel = true;
            _stop.Cancel();
        }
    }
}
