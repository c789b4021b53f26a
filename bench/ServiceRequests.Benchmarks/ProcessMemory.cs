using System.Diagnostics;

namespace ServiceRequests.Benchmarks;

/// <summary>
/// Peak resident memory of this process. On Linux the peak (VmHWM) can be reset, so one step's
/// own peak is measured after earlier steps (such as generating the input) are done.
/// </summary>
internal static class ProcessMemory
{
    /// <summary>Resets the peak to the current resident size (Linux); elsewhere a no-op.</summary>
    public static void ResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        try
        {
            if (OperatingSystem.IsLinux())
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Peak resident bytes since start or since the last <see cref="ResetPeak"/>.</summary>
    public static long PeakBytes()
    {
        if (OperatingSystem.IsLinux())
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
