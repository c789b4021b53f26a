using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Cli;

/// <summary>
/// <c>report</c> needs no network and no package restore once the program is built: run as a
/// scheduled job would (the built program, its own process) with NuGet's sources and package
/// folder pointing at empty folders, it still runs every notebook.
/// </summary>
[Collection(NotebookCollection.Name)]
public class ReportOfflineTests
{
    [Fact]
    public void Runs_every_notebook_with_nuget_sources_pointing_at_an_empty_folder()
    {
        using var folder = new TempFolder();
        var empty = Directory.CreateDirectory(folder.File("empty-source")).FullName;
        File.WriteAllText(folder.File("NuGet.Config"),
            $"<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<configuration><packageSources><clear /><add key=\"empty\" value=\"{empty}\" /></packageSources></configuration>\n");
        // The program as built in its own folder (lib/ServiceRequests.Cli/bin/<configuration>/net10.0), as README's scheduled command runs it.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var cli = RepoPaths.Of("lib", "ServiceRequests.Cli", "bin", configuration, "net10.0", "ServiceRequests.Cli.dll");
        var (code, output) = Tools.Run("dotnet", [cli, "report", "--notebooks", RepoPaths.Of("notebooks"), "--out", folder.File("out"), "--param", "source=" + RepoPaths.Of("data", "improve-detroit-sample.json.gz")],
            folder.Path, new Dictionary<string, string>
            {
                ["NUGET_PACKAGES"] = Directory.CreateDirectory(folder.File("empty-packages")).FullName,
                ["NUGET_HTTP_CACHE_PATH"] = Directory.CreateDirectory(folder.File("empty-http-cache")).FullName,
                ["DOTNET_CLI_HOME"] = Directory.CreateDirectory(folder.File("home")).FullName,
                ["DOTNET_NOLOGO"] = "1",
            }, TimeSpan.FromMinutes(5));
        var notebooks = Directory.GetFiles(RepoPaths.Of("notebooks"), "*.ipynb").Length;
        Assert.True(code == 0, output);
        Assert.Contains($"{notebooks} of {notebooks} notebook(s) ran", output);
        Assert.Empty(Directory.GetFileSystemEntries(folder.File("empty-packages")));
    }
}
