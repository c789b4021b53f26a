using BenchmarkDotNet.Attributes;
using ServiceRequests.Sample;
using ServiceRequests.SeeClickFix;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Benchmarks.Micro;

/// <summary>Flattening issues into the private table's values and reading them back (what the sync store does per row).</summary>
public class FlattenBenchmarks
{
    private ServiceRequest[] _issues = [];
    private string?[][] _values = [];

    /// <summary>Issues per operation.</summary>
    [Params(10_000)]
    public int Issues { get; set; }

    /// <summary>Generates the issues and their flat values.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _issues = [.. SampleGenerator.Generate(new SampleOptions { Issues = Issues }).Select(i => i.Request)];
        _values = [.. _issues.Select(i => FlatIssue.ToValues(i, FlatIssue.PrivateColumns))];
    }

    /// <summary><see cref="FlatIssue.ToValues"/> of every issue.</summary>
    [Benchmark]
    public int ToValues()
    {
        var n = 0;
        foreach (var issue in _issues)
        {
            n += FlatIssue.ToValues(issue, FlatIssue.PrivateColumns).Length;
        }
        return n;
    }

    /// <summary><see cref="FlatIssue.FromValues"/> of every row.</summary>
    [Benchmark]
    public long FromValues()
    {
        long sum = 0;
        foreach (var row in _values)
        {
            sum += FlatIssue.FromValues(FlatIssue.PrivateColumns, row).Id;
        }
        return sum;
    }
}
