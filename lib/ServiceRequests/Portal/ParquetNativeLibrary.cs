using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ServiceRequests.Portal;

/// <summary>
/// Finds ParquetSharp's native library (Apache Parquet C++) where a build puts it,
/// <c>runtimes/{rid}/native/</c> beside the DLLs, when the process does not find it by itself.
/// </summary>
/// <remarks>
/// A program built with the library (the CLI, the tests, the benchmarks) finds the native library
/// through its <c>.deps.json</c>. A notebook does not: the .NET Interactive kernel loads
/// <c>ServiceRequests.dll</c> and its dependencies from the build folder by path (<c>#r</c>), no
/// <c>.deps.json</c> is consulted, and the first Parquet load failed with
/// <c>DllNotFoundException: ParquetSharpNative</c> (measured with dotnet-interactive 1.0.712001).
/// The kernel's script loader puts each <c>#r</c> assembly in a load context of its own, so the
/// resolver is set on ParquetSharp's assembly itself (<see cref="NativeLibrary.SetDllImportResolver"/>),
/// whatever context it is in. It answers only that library's name, from the build folder's
/// <c>runtimes/</c>; anything else, or a library not found there, is left to the runtime's own probing.
/// </remarks>
internal static class ParquetNativeLibrary
{
    private const string Name = "ParquetSharpNative";
    private static int _installed;

    /// <summary>Installs the handler once per process, as soon as the library is loaded (before any Parquet call).</summary>
#pragma warning disable CA2255 // A library module initializer, deliberately: it must be in place before ParquetSharp's first P/Invoke, whatever a notebook touches first.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
        {
            try
            {
                NativeLibrary.SetDllImportResolver(typeof(ParquetSharp.ParquetFileReader).Assembly, (name, assembly, _) => Resolve(assembly, name));
            }
            catch (InvalidOperationException)
            {
                // ParquetSharp (or its host) set a resolver of its own: that one decides.
            }
        }
    }

    /// <summary>The native library loaded from a <c>runtimes/{rid}/native</c> folder beside the requesting assembly or this one; zero when not ours or not found.</summary>
    internal static IntPtr Resolve(Assembly requesting, string libraryName)
    {
        if (!libraryName.Contains(Name, StringComparison.Ordinal))
        {
            return IntPtr.Zero;
        }
        foreach (var path in Candidates(requesting))
        {
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle))
            {
                return handle;
            }
        }
        return IntPtr.Zero;
    }

    /// <summary>Where the native library may be, for this operating system and processor.</summary>
    internal static IEnumerable<string> Candidates(Assembly requesting)
    {
        var (os, file) = OperatingSystem.IsWindows() ? ("win", Name + ".dll")
            : OperatingSystem.IsMacOS() ? ("osx", Name + ".dylib")
            : ("linux", Name + ".so");
        var rid = $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        var folders = new[] { requesting.Location, typeof(ParquetNativeLibrary).Assembly.Location }
            .Where(l => !string.IsNullOrEmpty(l))
            .Select(Path.GetDirectoryName)
            .Distinct(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            yield return Path.Combine(folder!, "runtimes", rid, "native", file);
            yield return Path.Combine(folder!, file);
        }
    }
}
