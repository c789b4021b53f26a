using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ServiceRequests.TestSupport.Scenarios;

namespace ServiceRequests.Benchmarks;

/// <summary>
/// <c>changes</c>: how well <c>IssueMetrics.Changes</c> finds changes on the scenario suite
/// (<see cref="ScenarioGenerator"/>: dispersion from Poisson to 20 × the mean, trends, season, holiday weeks, three size
/// bands; volume +50 % and +100 %, close time × 2, SLA share −25 points, lasting 1–4 weeks or a single-week spike; no
/// change), each figure beside the power of an oracle that knows the truth (<see cref="Oracle"/>). Seeds run in parallel;
/// prints the Markdown table of docs/metrics.md with the command line, the machine and the time.
/// </summary>
internal static class ChangesBench
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var seeds = new Option<string>("--seeds")
        {
            Description = "Seeds, as ranges and single values separated by commas, e.g. 1-100 or 1-20,31. Choose settings on some seeds, then run held-out ones (e.g. 1001-1100) once.",
            DefaultValueFactory = _ => "1-20",
        };
        var scenario = new Option<string>("--scenario")
        {
            Description = "Scenarios whose key starts with this (keys such as none, volume50-small-1, volume100-large-spike, close2-medium-3, sla25-large-4); 'all' for every one.",
            DefaultValueFactory = _ => "all",
        };
        var weeks = new Option<int>("--weeks") { Description = "Complete weeks of data per data set.", DefaultValueFactory = _ => 56 };
        var partial = new Option<bool>("--partial-week") { Description = "Pull on the Wednesday after the last complete week (a partial week in the data)." };
        var quadratic = new Option<bool>("--quadratic-variance")
        {
            Description = "The other noise: weekly counts of variance μ + μ²/k (fixed shape per type; the variance ratio grows with the mean) instead of a fixed variance ratio.",
        };
        var draws = new Option<int>("--draws") { Description = "Simulated data sets per oracle power of an outcome metric.", DefaultValueFactory = _ => 2000 };
        var threads = new Option<int>("--threads") { Description = "Data sets scored at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("changes", "Measure change detection on the scenario suite against the oracle's power; print a Markdown table.")
        {
            seeds, scenario, weeks, partial, quadratic, draws, threads,
        };
        command.SetAction((parse, cancel) => BenchCommand.Guard(error, async () =>
        {
            var seedList = ParseSeeds(parse.GetValue(seeds)!);
            var key = parse.GetValue(scenario)!;
            var scenarios = ChangeScenario.All.Where(s => key == "all" || s.Key.StartsWith(key, StringComparison.Ordinal)).ToList();
            if (scenarios.Count == 0)
            {
                throw new ServiceRequestsException($"--scenario: no scenario key starts with '{key}'.");
            }
            var settings = new ScenarioSettings { Weeks = parse.GetValue(weeks), PartialWeek = parse.GetValue(partial), QuadraticVariance = parse.GetValue(quadratic) };
            var (drawCount, threadCount) = (parse.GetValue(draws), parse.GetValue(threads));
            if (settings.Weeks < 20 || drawCount < 1 || threadCount < 1)
            {
                throw new ServiceRequestsException($"--weeks must be 20 or more, --draws and --threads 1 or more (got {settings.Weeks}, {drawCount} and {threadCount}).");
            }
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Scoring {scenarios.Count} scenarios × {seedList.Count} seeds ..."));
            var started = DateTime.UtcNow;
            var watch = Stopwatch.StartNew();
            var scores = new ConcurrentBag<ScenarioScore>();
            var work = seedList.SelectMany(seed => scenarios.Select(s => (seed, s))).ToList();
            await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = threadCount, CancellationToken = cancel }, (job, _) =>
            {
                scores.Add(ChangeScoring.Run(job.seed, job.s, drawCount, settings));
                return ValueTask.CompletedTask;
            });
            watch.Stop();
            var command = string.Create(CultureInfo.InvariantCulture,
                $"bench changes --seeds {parse.GetValue(seeds)} --scenario {key} --weeks {settings.Weeks}{(settings.PartialWeek ? " --partial-week" : "")}{(settings.QuadraticVariance ? " --quadratic-variance" : "")} --draws {drawCount} --threads {threadCount}");
            output.WriteLine($"Command: `{command}`  ");
            output.WriteLine($"Machine: {MachineInfo.Describe()}  ");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Run: {started:yyyy-MM-dd HH:mm} UTC, {watch.Elapsed.TotalSeconds:0} s for {work.Count} data sets ({settings.Weeks} weeks, 30 types, about 1,100 issues a week, {(settings.QuadraticVariance ? "variance μ + μ²/k" : "variance ratio × μ")}); RollingWeeks 4, false discovery rate 0.25; oracle level α = 0.25 ÷ tested rows of the report."));
            output.WriteLine();
            output.Write(ScenarioSummary.Table(ScenarioSummary.Of(scores)));
            return 0;
        }));
        return command;
    }

    /// <summary>Parses "1-100", "1-20,31" and the like.</summary>
    internal static List<int> ParseSeeds(string text)
    {
        var result = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split('-', 2);
            if (!int.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(ends[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var to) || to < from)
            {
                throw new ServiceRequestsException($"--seeds: '{part}' is not a seed or a range of seeds such as 1-100.");
            }
            result.AddRange(Enumerable.Range(from, to - from + 1));
        }
        if (result.Count == 0)
        {
            throw new ServiceRequestsException("--seeds: no seed given.");
        }
        return [.. result.Distinct()];
    }
}
