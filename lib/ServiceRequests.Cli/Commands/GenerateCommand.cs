using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ServiceRequests.Portal;
using ServiceRequests.Sample;
using ServiceRequests.Socrata;

namespace ServiceRequests.Cli.Commands;

/// <summary><c>generate</c>: writes a synthetic, deterministic portal-shaped dataset.</summary>
internal static class GenerateCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var defaults = new SampleOptions();
        var issues = new Option<int>("--issues") { Description = "Number of issues to generate.", DefaultValueFactory = _ => defaults.Issues };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same file.", DefaultValueFactory = _ => defaults.Seed };
        var from = new Option<DateOnly>("--from") { Description = "First creation date (yyyy-MM-dd).", DefaultValueFactory = _ => defaults.From };
        var to = new Option<DateOnly>("--to") { Description = "Last creation date, inclusive (yyyy-MM-dd).", DefaultValueFactory = _ => defaults.To };
        var outPath = new Option<string>("--out")
        {
            Description = "Output file: Socrata-style JSON, gzip-compressed when it ends in .gz.",
            DefaultValueFactory = _ => "data/improve-detroit-sample.json.gz",
        };
        var command = new Command("generate", "Generate a synthetic Improve Detroit-like dataset in the portal's JSON shape.")
        {
            issues, seed, from, to, outPath,
        };
        command.SetAction((parse, cancel) => CommandLine.Guard(error, () =>
        {
            var options = new SampleOptions
            {
                Issues = parse.GetValue(issues),
                Seed = parse.GetValue(seed),
                From = parse.GetValue(from),
                To = parse.GetValue(to),
            };
            CommandLine.FromOptions(options.Validate);
            var path = parse.GetValue(outPath)!;
            var watch = Stopwatch.StartNew();
            var count = 0;
            PortalJson.WriteFile(SampleGenerator.Generate(options).Select(i =>
            {
                cancel.ThrowIfCancellationRequested();
                count++;
                return i.ToPortalRow();
            }), path);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {count:N0} issues ({options.From:yyyy-MM-dd} to {options.To:yyyy-MM-dd}, seed {options.Seed}) to {path} in {watch.Elapsed.TotalSeconds:F1} s."));
            return Task.FromResult(0);
        }));
        return command;
    }
}
