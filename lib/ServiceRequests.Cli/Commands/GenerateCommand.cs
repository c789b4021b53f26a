using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ServiceRequests.Metrics;
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
        var injectChange = new Option<string[]>("--inject-change")
        {
            Description = "Put a known change into the data, to test the change flags: yyyy-MM-dd:Request type doubles that type's issues " +
                          "created in the 7 days from the date, doubles their median time to close and lowers their share closed within SLA by 25 points. Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var sla = new Option<string>("--sla")
        {
            Description = "SLA table giving the SLA days of an injected change's type.",
            DefaultValueFactory = _ => SlaTable.DefaultRelativePath,
        };
        var command = new Command("generate", "Generate a synthetic Improve Detroit-like dataset in the portal's JSON shape.")
        {
            issues, seed, from, to, outPath, injectChange, sla,
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
            var changeTexts = parse.GetValue(injectChange) ?? [];
            var slaTable = changeTexts.Length == 0 ? null : SlaTable.Load(parse.GetValue(sla)!);
            var changes = CommandLine.FromOptions(() => changeTexts.Select(c => InjectedChange.Parse(c, slaTable!)).ToList(), ("text", "--inject-change"));
            var path = parse.GetValue(outPath)!;
            var watch = Stopwatch.StartNew();
            var count = 0;
            var generated = CommandLine.FromOptions(() => SampleGenerator.Generate(options, changes), ("requestType", "--inject-change"));
            PortalJson.WriteFile(generated.Select(i =>
            {
                cancel.ThrowIfCancellationRequested();
                count++;
                return i.ToPortalRow();
            }), path);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {count:N0} issues ({options.From:yyyy-MM-dd} to {options.To:yyyy-MM-dd}, seed {options.Seed}) to {path} in {watch.Elapsed.TotalSeconds:F1} s."));
            foreach (var change in changes)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Injected: {change.RequestType}, created {change.Week:yyyy-MM-dd} to {change.Week.AddDays(6):yyyy-MM-dd}: volume ×2, median time to close ×2, ") +
                    (change.SlaDays is { } days ? string.Create(CultureInfo.InvariantCulture, $"share closed within {days} days −{InjectedChange.SlaShareDrop} points.") : "no SLA, so no SLA share change."));
            }
            return Task.FromResult(0);
        }));
        return command;
    }
}
