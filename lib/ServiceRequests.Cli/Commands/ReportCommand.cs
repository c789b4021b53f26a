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
        var timeout = CommandLine.TimeoutOption();
        timeout.Description = "Seconds one request of a notebook's live source (Socrata, ArcGIS) may take to answer completely before it is retried; " +
                              "a request gives up for good after 6 attempts or 3 minutes (at least one timeout). Retries are shown on standard error.";
        var deadline = CommandLine.DeadlineOption();
        deadline.Description = "Seconds the whole report may run; at the deadline it stops with exit code 1 (default: no limit).";
        var command = new Command("report", "Run the notebooks headless into executed .ipynb files and offline HTML reports (default: notebooks/ on the bundled sample).")
        {
            notebooks, outFolder, parameters, timeout, deadline,
        };
        command.SetAction((parse, interrupt) => CommandLine.Guard(error, parse.GetValue(deadline), "The reports of the notebooks that finished are written.", async cancel =>
        {
            if (!File.Exists(parse.GetValue(notebooks)) && !Directory.Exists(parse.GetValue(notebooks)))
            {
                throw new ServiceRequestsException(
                    $"No notebook folder '{Path.GetFullPath(parse.GetValue(notebooks)!)}': run from the repository root or pass --notebooks <folder>.");
            }
            var retry = CommandLine.ReportingRetries(error, parse.GetValue(timeout));
            var runs = await NotebookReports.RunAsync(parse.GetValue(notebooks)!, parse.GetValue(outFolder)!, parse.GetValue(parameters) ?? [], output, error, retry, cancel);
            return runs.All(r => r.Failure is null) ? 0 : CommandLine.Failure;
        }, interrupt));
        return command;
    }
}
