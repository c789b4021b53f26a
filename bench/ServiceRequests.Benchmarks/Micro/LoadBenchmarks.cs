using BenchmarkDotNet.Attributes;
using ServiceRequests.Portal;
using ServiceRequests.Sample;

namespace ServiceRequests.Benchmarks.Micro;

/// <summary>Loading portal JSON into a typed DataFrame (<see cref="IssueData.LoadFile"/>), plain and gzip-compressed.</summary>
public class LoadBenchmarks
{
    private string _folder = "";

    /// <summary>Rows in the file.</summary>
    [Params(50_000)]
    public int Rows { get; set; }

    /// <summary>Writes the files once.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("bench-micro-load-").FullName;
        var rows = SampleGenerator.Generate(new SampleOptions { Issues = Rows }).Select(i => i.ToPortalRow()).ToList();
        PortalJson.WriteFile(rows, Path.Combine(_folder, "issues.json"));
        PortalJson.WriteFile(rows, Path.Combine(_folder, "issues.json.gz"));
    }

    /// <summary>Deletes the files.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>The plain JSON file.</summary>
    [Benchmark(Baseline = true)]
    public long Json() => IssueData.LoadFile(Path.Combine(_folder, "issues.json")).Rows.Count;

    /// <summary>The same rows, gzip-compressed.</summary>
    [Benchmark]
    public long GzipJson() => IssueData.LoadFile(Path.Combine(_folder, "issues.json.gz")).Rows.Count;
}
