using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace ServiceRequests.Notebooks;

/// <summary>
/// Resolves a notebook's <c>#r</c> directives onto the assemblies this program already carries,
/// so the objects a notebook makes are the host's types (and the host's formatters apply):
/// <list type="bullet">
/// <item><c>#r "nuget: Name, Version"</c>: the packages in <see cref="Packages"/>, at the version
/// the program was built with (the version may be left out); anything else is an error naming it;</item>
/// <item><c>#r "…/ServiceRequests.dll"</c> (any path, built or not): the program's own copy of the library;</item>
/// <item>any other <c>#r "path.dll"</c>: that file, relative to the notebook's folder.</item>
/// </list>
/// </summary>
internal sealed class NotebookReferences : MetadataReferenceResolver
{
    private const string NuGetPrefix = "nuget:";

    /// <summary>The NuGet packages a notebook may reference, by id (case-insensitive), with one of their assemblies.</summary>
    public static readonly IReadOnlyDictionary<string, Assembly> Packages = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase)
    {
        ["Microsoft.Data.Analysis"] = typeof(DataFrame).Assembly,
        ["Plotly.NET"] = typeof(GenericChart).Assembly,
        ["Microsoft.DotNet.Interactive.Formatting"] = typeof(Formatter).Assembly,
    };

    private static readonly Assembly Library = typeof(IssueData).Assembly;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, PortableExecutableReference> FileReferences = new(StringComparer.Ordinal);

    private readonly ScriptMetadataResolver _files;

    public NotebookReferences(string notebookFolder) => _files = ScriptMetadataResolver.Default.WithBaseDirectory(notebookFolder);

    /// <summary>The version of a package this program carries (its assembly's informational version, without a commit).</summary>
    public static string VersionOf(Assembly assembly)
    {
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString() ?? "";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }

    /// <summary>
    /// Checks a <c>#r</c> reference before compiling, so an unknown package is reported with its
    /// name and the packages available, not as a missing metadata file.
    /// </summary>
    /// <exception cref="NotebookReferenceException">A package (or version) the runner does not carry.</exception>
    public static void Check(string reference)
    {
        if (!reference.StartsWith(NuGetPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return;
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
    }

    /// <inheritdoc/>
    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
    {
        if (reference.StartsWith(NuGetPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var id = reference[NuGetPrefix.Length..].Split(',', StringSplitOptions.TrimEntries)[0];
            return Packages.TryGetValue(id, out var assembly) ? [Reference(assembly.Location, properties)] : [];
        }
        if (string.Equals(Path.GetFileName(reference), Path.GetFileName(Library.Location), StringComparison.OrdinalIgnoreCase))
        {
            return [Reference(Library.Location, properties)];
        }
        return _files.ResolveReference(reference, baseFilePath, properties);
    }

    /// <summary>Dependencies of referenced assemblies (FSharp.Core for Plotly.NET, ...) come from the host too.</summary>
    public override bool ResolveMissingAssemblies => true;

    /// <inheritdoc/>
    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity)
    {
        try
        {
            var assembly = Assembly.Load(new AssemblyName(referenceIdentity.Name));
            return assembly.Location.Length > 0 ? Reference(assembly.Location, MetadataReferenceProperties.Assembly) : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public override bool Equals(object? other) => ReferenceEquals(this, other);

    /// <inheritdoc/>
    public override int GetHashCode() => _files.GetHashCode();

    /// <summary>A reference to a host assembly, read once per process (reading the metadata is the expensive part).</summary>
    private static PortableExecutableReference Reference(string path, MetadataReferenceProperties properties) =>
        properties.Equals(MetadataReferenceProperties.Assembly)
            ? FileReferences.GetOrAdd(path, p => MetadataReference.CreateFromFile(p))
            : MetadataReference.CreateFromFile(path, properties);
}

/// <summary>A <c>#r</c> the runner cannot honour.</summary>
internal sealed class NotebookReferenceException(string message) : Exception(message);
