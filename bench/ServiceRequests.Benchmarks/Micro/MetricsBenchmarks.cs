using BenchmarkDotNet.Attributes;
using Microsoft.Data.Analysis;
using ServiceRequests.Metrics;
using ServiceRequests.Sample;

namespace ServiceRequests.Benchmarks.Micro;

/// <summary>The metric tables on a loaded DataFrame (loading is not timed).</summary>
public class MetricsBenchmarks
{
    private DataFrame _issues = new();
    private SlaTable _sla = new([]);
    private DateOnly _week;

    /// <summary>Issues in the frame.</summary>
    [Params(50_000)]
    public int Issues { get; set; }

    /// <summary>Generates and loads the issues once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var folder = Directory.CreateTempSubdirectory("bench-micro-metrics-");
        try
        {
            var path = Path.Combine(folder.FullName, "issues.json");
            Portal.PortalJson.WriteFile(SampleGenerator.Generate(new SampleOptions { Issues = Issues }).Select(i => i.ToPortalRow()), path);
            _issues = IssueData.LoadFile(path);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
        _sla = SlaTable.LoadBundled();
        _week = new IssueMetrics(_issues, _sla).LastCompleteWeek ?? throw new InvalidOperationException("No issues were generated.");
    }

    /// <summary>Reading the columns (the constructor), then the city's weekly stats table.</summary>
    [Benchmark(Baseline = true)]
    public long Stats() => new IssueMetrics(_issues, _sla).Stats(_week, _week.AddDays(6)).Rows.Count;

    /// <summary>The last four weeks side by side, with flags.</summary>
    [Benchmark]
    public long LastWeeks() => new IssueMetrics(_issues, _sla).LastWeeks(_week).Rows.Count;

    /// <summary>The rolling series over the whole history.</summary>
    [Benchmark]
    public long RollingSeries() => new IssueMetrics(_issues, _sla).RollingSeries().Rows.Count;
}
