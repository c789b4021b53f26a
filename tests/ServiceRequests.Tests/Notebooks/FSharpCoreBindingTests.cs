using System.Reflection;
using System.Runtime.Loader;
using ServiceRequests.Reports;

namespace ServiceRequests.Tests.Notebooks;

/// <summary>
/// The binding that lets Plotly.NET (built on FSharp.Core 10.1) run in the .NET Interactive kernel
/// (which runs FSharp.Core 10.0): a newer FSharp.Core of the same major version binds to the one
/// already loaded, nothing else is touched. The kernel itself is exercised by <see cref="RealKernelTests"/>.
/// </summary>
public class FSharpCoreBindingTests
{
    private static readonly Version Loaded = typeof(Microsoft.FSharp.Core.FSharpOption<>).Assembly.GetName().Version!;

    [Fact]
    public void A_newer_minor_version_binds_to_the_loaded_fsharp_core()
    {
        var wanted = new AssemblyName($"FSharp.Core, Version={Loaded.Major}.{Loaded.Minor + 1}.0.0");
        Assert.Same(typeof(Microsoft.FSharp.Core.FSharpOption<>).Assembly, FSharpCoreBinding.Resolve(AssemblyLoadContext.Default, wanted));
    }

    [Theory]
    [InlineData("FSharp.Core, Version=99.0.0.0")] // another major version: not ours to answer
    [InlineData("FSharp.Core")] // no version
    [InlineData("DynamicObj, Version=99.0.0.0")] // another assembly
    public void Anything_else_is_left_to_the_runtime(string name) =>
        Assert.Null(FSharpCoreBinding.Resolve(AssemblyLoadContext.Default, new AssemblyName(name)));

    [Fact]
    public void The_loaded_version_itself_or_an_older_one_is_not_redirected() =>
        Assert.Null(FSharpCoreBinding.Resolve(AssemblyLoadContext.Default, new AssemblyName($"FSharp.Core, Version={Loaded}")));

    [Fact]
    public void A_context_without_fsharp_core_is_left_alone()
    {
        var context = new AssemblyLoadContext("empty", isCollectible: true);
        Assert.Null(FSharpCoreBinding.Resolve(context, new AssemblyName($"FSharp.Core, Version={Loaded.Major}.{Loaded.Minor + 1}.0.0")));
        context.Unload();
    }
}
