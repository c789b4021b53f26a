using System.Runtime.InteropServices;

namespace ServiceRequests.Benchmarks;

/// <summary>A one-line description of the machine, for benchmark records.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = "unknown CPU";
        if (OperatingSystem.IsLinux() && File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory:F0} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
