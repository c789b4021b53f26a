using System.CommandLine;
using ServiceRequests.Notebooks;

namespace ServiceRequests.Cli.Commands;

/// <summary>
/// <c>report</c>: runs every notebook in a folder headless (<see cref="NotebookReports"/>) and
/// writes, per notebook, the executed <c>.ipynb</c> and a self-contained HTML report. A failing
/// cell stops its notebook (partial report, error on standard error) but not the others; the
/// exit code is 1 when any notebook failed.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var notebooks = new Option<string>("--notebooks")
        {
            Description = "Folder of .ipynb notebooks to run (or one notebook file).",
            DefaultValueFactory = _ => "notebooks",
        };
        var outFolder = new Option<string>("--out") { Description = "Folder for the executed notebooks and HTML reports.", DefaultValueFactory = _ => "reports" };
        var parameters = new Option<string[]>("--param")
        {
            Description = "name=value for a variable of the notebooks' parameters cell, e.g. --param weeks=8 --param from=2025-01-01 " +
                          "--param source=https://data.detroitmi.gov/resource/{id}.json (repeatable).",
        };
        var command = new Command("report", "Run the notebooks headless into executed .ipynb files and offline HTML reports (default: notebooks/ on the bundled sample).")
        {
            notebooks, outFolder, parameters,
        };
        command.SetAction((parse, cancel) => CommandLine.Guard(error, async () =>
        {
            if (!File.Exists(parse.GetValue(notebooks)) && !Directory.Exists(parse.GetValue(notebooks)))
            {
                throw new ServiceRequestsException(
                    $"No notebook folder '{Path.GetFullPath(parse.GetValue(notebooks)!)}': run from the repository root or pass --notebooks <folder>.");
            }
            var runs = await NotebookReports.RunAsync(parse.GetValue(notebooks)!, parse.GetValue(outFolder)!, parse.GetValue(parameters) ?? [], output, error, cancel);
            return runs.All(r => r.Failure is null) ? 0 : CommandLine.Failure;
        }));
        return command;
    }
}
