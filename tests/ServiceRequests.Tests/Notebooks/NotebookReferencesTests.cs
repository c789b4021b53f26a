using Microsoft.CodeAnalysis;
using ServiceRequests.Notebooks;

namespace ServiceRequests.Tests.Notebooks;

/// <summary>How <c>#r</c> maps onto the runner's own assemblies.</summary>
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
    [InlineData("some/local.dll")]
    public void Check_accepts_carried_packages_and_files(string reference) => NotebookReferences.Check(reference);

    [Theory]
    [InlineData("nuget: Newtonsoft.Json, 13.0.3", "does not carry package 'Newtonsoft.Json'")]
    [InlineData("nuget: Plotly.NET, 4.2.0", "carries Plotly.NET 6.0.0, not 4.2.0")]
    [InlineData("nuget: ", "write #r \"nuget: Name, Version\"")]
    [InlineData("nuget: A, 1, 2", "write #r \"nuget: Name, Version\"")]
    public void Check_refuses_what_the_runner_cannot_load(string reference, string message) =>
        Assert.Contains(message, Assert.Throws<NotebookReferenceException>(() => NotebookReferences.Check(reference)).Message);

    [Fact]
    public void The_library_path_resolves_to_the_loaded_library()
    {
        var resolver = new NotebookReferences(Path.GetTempPath());
        var resolved = Assert.Single(resolver.ResolveReference("../lib/ServiceRequests/bin/Release/net8.0/ServiceRequests.dll", null, MetadataReferenceProperties.Assembly));
        Assert.Equal(typeof(IssueData).Assembly.Location, resolved.FilePath);
        Assert.Empty(resolver.ResolveReference("no-such.dll", null, MetadataReferenceProperties.Assembly));
    }
}
