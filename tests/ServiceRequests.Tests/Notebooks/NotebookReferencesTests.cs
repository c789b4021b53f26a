using ServiceRequests.Notebooks;

namespace ServiceRequests.Tests.Notebooks;

/// <summary>How <c>#r</c> is served from the runner's own assemblies.</summary>
public class NotebookReferencesTests
{
    [Fact]
    public void Packages_carry_the_versions_the_notebooks_ask_for()
    {
        Assert.Equal("0.23.1", NotebookReferences.VersionOf(NotebookReferences.Packages["Microsoft.Data.Analysis"]));
        Assert.Equal("6.0.0", NotebookReferences.VersionOf(NotebookReferences.Packages["plotly.net"]));
    }

    [Theory]
    [InlineData("nuget: Plotly.NET, 6.0.0")]
    [InlineData("nuget:Plotly.NET")]
    [InlineData("nuget: microsoft.data.analysis, 0.23.1")]
    public void Check_accepts_carried_packages(string reference) => Assert.NotNull(NotebookReferences.Check(reference));

    [Fact]
    public void Check_leaves_files_to_the_kernel() => Assert.Null(NotebookReferences.Check("some/local.dll"));

    [Theory]
    [InlineData("nuget: Newtonsoft.Json, 13.0.3", "does not carry package 'Newtonsoft.Json'")]
    [InlineData("nuget: Plotly.NET, 4.2.0", "carries Plotly.NET 6.0.0, not 4.2.0")]
    [InlineData("nuget: ", "write #r \"nuget: Name, Version\"")]
    [InlineData("nuget: A, 1, 2", "write #r \"nuget: Name, Version\"")]
    public void Check_refuses_what_the_runner_cannot_load(string reference, string message) =>
        Assert.Contains(message, Assert.Throws<NotebookReferenceException>(() => NotebookReferences.Check(reference)).Message);

    [Fact]
    public void Served_directives_become_comments_on_the_same_line_and_bring_their_dependencies()
    {
        var (code, assemblies) = NotebookReferences.Serve(
            "#r \"nuget: Plotly.NET, 6.0.0\"\n#r \"../lib/ServiceRequests/bin/Release/net8.0/ServiceRequests.dll\"\n#r \"other.dll\"\nvar x = 1;");
        var lines = code.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("// #r \"nuget: Plotly.NET, 6.0.0\"", lines[0]);
        Assert.StartsWith("// #r \"../lib/ServiceRequests", lines[1]);
        Assert.Equal("#r \"other.dll\"", lines[2]);
        Assert.Equal("var x = 1;", lines[3]);
        Assert.Contains(typeof(Plotly.NET.GenericChart).Assembly.Location, assemblies);
        Assert.Contains(typeof(IssueData).Assembly.Location, assemblies);
        Assert.Contains(assemblies, a => Path.GetFileName(a) == "FSharp.Core.dll");
        Assert.Contains(assemblies, a => Path.GetFileName(a) == "DynamicObj.dll");
        Assert.Equal(assemblies.Count, assemblies.Distinct().Count());
    }

    [Fact]
    public void A_refused_directive_names_its_line()
    {
        var e = Assert.Throws<NotebookReferenceException>(() => NotebookReferences.Serve("var a = 1;\n\n#r \"nuget: Nope, 1.0\""));
        Assert.Equal(3, e.Line);
    }
}
