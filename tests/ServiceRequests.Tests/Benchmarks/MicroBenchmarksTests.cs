using System.Reflection;
using ServiceRequests.Benchmarks.Micro;

namespace ServiceRequests.Tests.Benchmarks;

/// <summary>
/// Every BenchmarkDotNet benchmark runs once on tiny data (its setup, each benchmark method, its
/// cleanup), so a broken benchmark is found by the tests and not on the day someone measures.
/// </summary>
public class MicroBenchmarksTests
{
    public static TheoryData<string> BenchmarkClasses() => [.. MicroBenchmarks.Types.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(BenchmarkClasses))]
    public void Each_benchmark_runs_on_tiny_data(string name)
    {
        var type = MicroBenchmarks.Types.Single(t => t.Name == name);
        var instance = Activator.CreateInstance(type)!;
        foreach (var size in type.GetProperties().Where(p => Has(p, "ParamsAttribute")))
        {
            size.SetValue(instance, 200);
        }
        Invoke(type, instance, "GlobalSetupAttribute");
        var benchmarks = type.GetMethods().Where(m => Has(m, "BenchmarkAttribute")).ToList();
        Assert.NotEmpty(benchmarks);
        try
        {
            foreach (var benchmark in benchmarks)
            {
                var result = benchmark.Invoke(instance, null);
                Assert.True(result is int or long, $"{name}.{benchmark.Name} returns {result?.GetType().Name ?? "nothing"}; return the work's size so it cannot be optimised away.");
                Assert.True(Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture) > 0, $"{name}.{benchmark.Name} did no work.");
            }
        }
        finally
        {
            Invoke(type, instance, "GlobalCleanupAttribute");
        }
    }

    private static void Invoke(Type type, object instance, string attribute)
    {
        foreach (var method in type.GetMethods().Where(m => Has(m, attribute)))
        {
            method.Invoke(instance, null);
        }
    }

    /// <summary>Whether a member carries a BenchmarkDotNet attribute (read by name: the tests do not compile against BenchmarkDotNet).</summary>
    private static bool Has(MemberInfo member, string attribute) => member.GetCustomAttributes().Any(a => a.GetType().Name == attribute);
}
