using ServiceRequests.Benchmarks;
using ServiceRequests.Cli;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>Runs the command-line program (or the benchmark program) in the test's process, capturing what it prints.</summary>
public static class CliRun
{
    /// <summary>Runs the program with <paramref name="args"/>; returns its exit code, standard output and standard error.</summary>
    public static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await CommandLine.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the benchmark program with <paramref name="args"/>; returns its exit code, standard output and standard error.</summary>
    public static async Task<(int Code, string Out, string Err)> Bench(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await BenchCommand.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
