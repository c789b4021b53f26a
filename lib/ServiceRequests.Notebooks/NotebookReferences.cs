using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace ServiceRequests.Notebooks;

/// <summary>
/// Serves a cell's <c>#r</c> directives from the assemblies this program already carries, so a
/// report runs offline, never restores a package, and the objects a notebook makes are the
/// program's own types (its formatters apply):
/// <list type="bullet">
/// <item><c>#r "nuget: Name, Version"</c>: the packages in <see cref="Packages"/>, at the version
/// the program was built with (the version may be left out); anything else is an error naming it;</item>
/// <item><c>#r "…/ServiceRequests.dll"</c> (any path, built or not): the program's own copy of the library;</item>
/// <item>any other <c>#r</c> is left to the kernel (a path is relative to the notebook's folder).</item>
/// </list>
/// A served directive becomes a comment on the same line, so the lines of errors stay the notebook's.
/// </summary>
internal static partial class NotebookReferences
{
    private const string NuGetPrefix = "nuget:";

    /// <summary>The NuGet packages a notebook may reference, by id (case-insensitive), with their main assembly.</summary>
    public static readonly IReadOnlyDictionary<string, Assembly> Packages = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Data.Analysis"] = typeof(DataFrame).Assembly,
        ["Plotly.NET"] = typeof(GenericChart).Assembly,
        ["Microsoft.DotNet.Interactive.Formatting"] = typeof(Formatter).Assembly,
    };

    private static readonly Assembly Library = typeof(IssueData).Assembly;

    /// <summary>The version of a package this program carries (its assembly's informational version, without a commit).</summary>
    public static string VersionOf(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    /// <summary>
    /// The cell as the kernel should see it (served <c>#r</c> lines turned into comments) and the
    /// assembly files to reference for them: each served assembly with the assemblies it references
    /// from this program's folder (Plotly.NET brings FSharp.Core and DynamicObj, as NuGet would).
    /// </summary>
    /// <exception cref="NotebookReferenceException">A <c>#!</c> magic command, or a package (or version) this program does not carry; with the line.</exception>
    public static (string Code, IReadOnlyList<string> Assemblies) Serve(string source)
    {
        var lines = source.Split('\n');
        var served = new List<Assembly>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.TrimStart().StartsWith("#!", StringComparison.Ordinal))
            {
                throw new NotebookReferenceException(
                    $"'{line.Trim()}': #! magic commands are not supported by the report runner (plain C# and #r only; see docs/notebooks.md).", i + 1);
            }
            if (Directive().Match(line) is not { Success: true } match)
            {
                continue;
            }
            var reference = match.Groups["reference"].Value;
            Assembly? assembly;
            try
            {
                assembly = Check(reference);
            }
            catch (NotebookReferenceException e)
            {
                throw new NotebookReferenceException(e.Message, i + 1);
            }
            if (assembly is null && string.Equals(Path.GetFileName(reference), Path.GetFileName(Library.Location), StringComparison.OrdinalIgnoreCase))
            {
                assembly = Library;
            }
            if (assembly is not null)
            {
                served.Add(assembly);
                lines[i] = "// " + line.TrimStart() + "  (served by the report runner)";
            }
        }
        return (string.Join('\n', lines), served.SelectMany(Closure).Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// The carried assembly of a <c>#r "nuget: ..."</c> reference (null for any other reference),
    /// checked before compiling so an unknown package is reported with its name and the packages available.
    /// </summary>
    /// <exception cref="NotebookReferenceException">A package (or version) the runner does not carry.</exception>
    public static Assembly? Check(string reference)
    {
        if (!reference.StartsWith(NuGetPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var parts = reference[NuGetPrefix.Length..].Split(',', StringSplitOptions.TrimEntries);
        var available = string.Join(", ", Packages.Select(p => $"{p.Key} {VersionOf(p.Value)}"));
        if (parts.Length > 2 || parts[0].Length == 0)
        {
            throw new NotebookReferenceException($"#r \"{reference}\": write #r \"nuget: Name, Version\".");
        }
        if (!Packages.TryGetValue(parts[0], out var assembly))
        {
            throw new NotebookReferenceException(
                $"#r \"{reference}\": the report runner does not carry package '{parts[0]}' (it has {available}). " +
                "Use one of these, or add the package to lib/ServiceRequests.Notebooks and to NotebookReferences.Packages.");
        }
        if (parts.Length == 2 && parts[1].Length > 0 && parts[1] != VersionOf(assembly))
        {
            throw new NotebookReferenceException(
                $"#r \"{reference}\": the report runner carries {parts[0]} {VersionOf(assembly)}, not {parts[1]}; change the notebook to {VersionOf(assembly)}.");
        }
        return assembly;
    }

    /// <summary>An assembly's file and the files of the assemblies it references that sit in this program's folder (not the framework's).</summary>
    private static IEnumerable<string> Closure(Assembly assembly)
    {
        yield return assembly.Location;
        var folder = AppContext.BaseDirectory;
        foreach (var name in assembly.GetReferencedAssemblies())
        {
            var path = Path.Combine(folder, name.Name + ".dll");
            if (File.Exists(path))
            {
                yield return path;
            }
        }
    }

    [GeneratedRegex("""^\s*#r\s+"(?<reference>[^"]*)"\s*$""")]
    private static partial Regex Directive();
}

/// <summary>A <c>#r</c> or <c>#!</c> line the runner cannot honour, with its line in the cell when known.</summary>
internal sealed class NotebookReferenceException(string message, int? line = null) : Exception(message)
{
    /// <summary>The line in the cell (1-based), when known.</summary>
    public int? Line { get; } = line;
}
