using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace ServiceRequests.Benchmarks.Micro;

/// <summary>
/// <c>micro</c>: BenchmarkDotNet over the library's hot paths, where repeated in-process
/// measurement fits (the whole-job subjects, with peak memory and the pandas peer, stay in their
/// own commands). Arguments after <c>micro</c> go to BenchmarkDotNet, e.g. <c>--filter *Load*</c>
/// or <c>--job short</c>; every job runs in process (<c>--inProcess</c>: no project is generated and
/// built per benchmark), with the memory diagnoser.
/// </summary>
internal static class MicroBenchmarks
{
    /// <summary>The subject's name on the command line.</summary>
    public const string Name = "micro";

    /// <summary>Every benchmark class.</summary>
    public static Type[] Types { get; } = [typeof(FlattenBenchmarks), typeof(LoadBenchmarks), typeof(MetricsBenchmarks)];

    /// <summary>Runs BenchmarkDotNet with <paramref name="args"/>; returns 0 when every benchmark ran.</summary>
    public static int Run(string[] args)
    {
        string[] inProcess = args.Contains("--inProcess") || args.Contains("-i") ? args : ["--inProcess", .. args];
        var summaries = BenchmarkSwitcher.FromTypes(Types).Run(inProcess, DefaultConfig.Instance.AddDiagnoser(MemoryDiagnoser.Default));
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? BenchCommand.Failure : 0;
    }
}
