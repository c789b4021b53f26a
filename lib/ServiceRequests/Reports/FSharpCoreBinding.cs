using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace ServiceRequests.Reports;

/// <summary>
/// Lets Plotly.NET run inside the .NET Interactive kernel: binds a request for a newer
/// FSharp.Core of the same major version to the FSharp.Core the process already runs, as a
/// binding redirect would on .NET Framework.
/// </summary>
/// <remarks>
/// The last .NET Interactive kernel (dotnet-interactive 1.0.712001, the one VS Code's Polyglot
/// extension, Jupyter clients and dotnet-repl start) is written partly in F#: it loads its own
/// FSharp.Core 10.0.0.0 into the default load context when it starts. Plotly.NET 6.0.0 and its
/// DynamicObj 8.0.0 are compiled against FSharp.Core 10.1.0.0 (package 10.1.403). The default
/// context holds one FSharp.Core and never a second version, so without this every Plotly.NET
/// call in the kernel fails with <c>FileNotFoundException: FSharp.Core, Version=10.1.0.0</c>,
/// whatever the notebook references (Plotly.NET.Interactive 6.0.0 itself fails the same way). No
/// build setting of ours can change what Plotly.NET.dll references, and no other Plotly.NET is
/// served, so the binding is unified at run time. In a normal program (the CLI, the tests) the
/// process carries FSharp.Core 10.1 itself and the handler never runs.
/// </remarks>
internal static class FSharpCoreBinding
{
    private const string FSharpCore = "FSharp.Core";
    private static int _installed;

    /// <summary>
    /// Installs the binding once per process, as soon as the library is loaded: a notebook's first
    /// use of any library type (its setup cell) is enough, before any chart is made.
    /// </summary>
#pragma warning disable CA2255 // A library module initializer, deliberately: it must run before the first Plotly.NET call in a kernel, whatever a notebook touches first.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += Resolve;
        }
    }

    /// <summary>The FSharp.Core already loaded in <paramref name="context"/> when it has the requested major version and a lower minor one; otherwise null (not ours to answer).</summary>
    internal static Assembly? Resolve(AssemblyLoadContext context, AssemblyName requested)
    {
        if (!string.Equals(requested.Name, FSharpCore, StringComparison.Ordinal) || requested.Version is not { } wanted)
        {
            return null;
        }
        foreach (var loaded in context.Assemblies)
        {
            var name = loaded.GetName();
            if (string.Equals(name.Name, FSharpCore, StringComparison.Ordinal) && name.Version is { } have && have.Major == wanted.Major && have < wanted)
            {
                return loaded;
            }
        }
        return null;
    }
}
