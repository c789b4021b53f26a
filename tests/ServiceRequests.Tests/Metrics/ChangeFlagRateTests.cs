using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;
using ServiceRequests.Metrics;
using ServiceRequests.Portal;
using ServiceRequests.Sample;
using ServiceRequests.Socrata;
using Xunit.Abstractions;

namespace ServiceRequests.Tests.Metrics;

/// <summary>
/// How often <see cref="IssueMetrics.Changes"/> flags noise and how often it finds a real change,
/// measured on synthetic data (docs/metrics.md, "Change flags: measured"). Each trial generates 22
/// weeks around a test week (16 before it, 6 after, so that every cohort of the test week is final),
/// once unchanged and once with a change injected into one request type that has at least 20 issues
/// that week and 20 a week before it: volume doubled, median time to close doubled, share closed
/// within SLA down 25 points. The test weeks lie in every season. <c>CHANGE_FLAG_TRIALS=100</c>
/// runs more trials (the figures in the docs); the output lists them.
/// </summary>
public class ChangeFlagRateTests(ITestOutputHelper output)
{
    private static readonly DateOnly[] TestWeeks =
        [new(2025, 3, 16), new(2025, 6, 15), new(2025, 9, 14), new(2025, 12, 14), new(2026, 4, 19), new(2026, 7, 19)];

    private static readonly SlaTable Sla = SlaTable.LoadBundled();

    private sealed record Trial(int Rows, int FalseFlags, string Type, double WeeklyIssues, int Injected, int Detected, string Misses,
        double?[] UnchangedP, double?[] ChangedP, bool[] InjectedRow);

    [Fact]
    public void Unchanged_data_flags_at_most_5_percent_of_rows_and_injected_changes_are_found()
    {
        var trials = int.TryParse(Environment.GetEnvironmentVariable("CHANGE_FLAG_TRIALS"), CultureInfo.InvariantCulture, out var n) ? n : 24;
        var first = int.TryParse(Environment.GetEnvironmentVariable("CHANGE_FLAG_FIRST_SEED"), CultureInfo.InvariantCulture, out var f) ? f : 1;
        var results = new ConcurrentBag<Trial>();
        Parallel.For(first, first + trials, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, seed => results.Add(Run(seed)));

        var rows = results.Sum(r => r.Rows);
        var falseFlags = results.Sum(r => r.FalseFlags);
        var falseRate = (double)falseFlags / rows;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"unchanged: {falseFlags} of {rows} rows flagged ({falseRate:P2}) in {trials} datasets (seeds {first}–{first + trials - 1})"));
        foreach (var (band, selected) in new[] { ("20 or more a week", results.ToList()), ("20-39 a week", results.Where(r => r.WeeklyIssues < 40).ToList()), ("40 or more a week", results.Where(r => r.WeeklyIssues >= 40).ToList()) })
        {
            var injected = selected.Sum(r => r.Injected);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"injected, types with {band}: {selected.Sum(r => r.Detected)} of {injected} changes flagged ({(double)selected.Sum(r => r.Detected) / injected:P1}) in {selected.Count} datasets"));
        }
        // The same trials' p-values adjusted at other false discovery rates (docs/metrics.md, the trade-off table).
        foreach (var rate in new[] { 0.05, 0.10, 0.15, 0.20, 0.25 })
        {
            static bool[] Flags(double?[] p, double rate) => [.. Inference.BenjaminiHochberg(p).Select(q => q is { } v && v <= rate)];
            var flaggedUnchanged = results.Sum(r => Flags(r.UnchangedP, rate).Count(f => f));
            var withFlag = results.Count(r => Flags(r.UnchangedP, rate).Any(f => f));
            string Found(Func<Trial, bool> band)
            {
                var selected = results.Where(band).ToList();
                var found = selected.Sum(r => Flags(r.ChangedP, rate).Where((f, k) => f && r.InjectedRow[k]).Count());
                var injected = selected.Sum(r => r.InjectedRow.Count(i => i));
                return string.Create(CultureInfo.InvariantCulture, $"{found} of {injected} ({(double)found / injected:P1})");
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rate {rate:0.00}: unchanged {flaggedUnchanged} of {rows} rows flagged ({(double)flaggedUnchanged / rows:P2}, {withFlag} datasets with a flag); found {Found(_ => true)}, 20-39 a week {Found(r => r.WeeklyIssues < 40)}, 40 or more {Found(r => r.WeeklyIssues >= 40)}"));
        }
        foreach (var miss in results.Where(r => r.Misses.Length > 0).OrderBy(r => r.Type, StringComparer.Ordinal))
        {
            output.WriteLine(miss.Misses);
        }

        // The targets of issue 12: at most 5 % of rows flagged on unchanged data, at least 90 % of the
        // changes injected into types with 20 or more issues a week flagged (docs/metrics.md gives the
        // figures of 100 trials by band: 20–39 a week are found less often than 40 or more).
        Assert.True(falseRate <= 0.05, $"{falseFlags} of {rows} rows flagged on unchanged data");
        var all = (double)results.Sum(r => r.Detected) / results.Sum(r => r.Injected);
        Assert.True(all >= 0.9, $"{all:P1} of the changes injected into types with 20 or more issues a week flagged");
        var large = results.Where(r => r.WeeklyIssues >= 40).ToList();
        Assert.NotEmpty(large);
        var largeRate = (double)large.Sum(r => r.Detected) / large.Sum(r => r.Injected);
        Assert.True(largeRate >= 0.9, $"{largeRate:P1} of the changes injected into types with 40 or more issues a week flagged");
    }

    [Fact]
    public void Time_to_close_dispersion_is_about_1_when_close_times_do_not_change_between_weeks()
    {
        // The generator draws every type's close times from one distribution all year, so the
        // between-week dispersion φ of the Peto–Peto statistic should be close to 1. The mean of the
        // per-cohort χ² values gave 1.05–1.38 on these seeds (mean 1.19): small cohorts pull it up.
        var phis = Enumerable.Range(1, TestWeeks.Length).Select(seed =>
        {
            var week = TestWeeks[seed % TestWeeks.Length];
            var options = new SampleOptions { Seed = seed, From = week.AddDays(-7 * 16), To = week.AddDays(7 * 6 - 1), Issues = 22 * 481 };
            var changes = new IssueMetrics(Frame(options, []), Sla).Changes(week);
            var row = Enumerable.Range(0, (int)changes.Rows.Count).Single(r =>
                (string)changes["request_type_title"][r] == IssueMetrics.AllTypes && (string)changes["metric"][r] == IssueMetrics.MedianDaysToClose);
            var evidence = (string)changes["evidence"][row];
            var at = evidence.IndexOf("φ = ", StringComparison.Ordinal);
            Assert.True(at >= 0, evidence);
            var end = evidence.IndexOf(')', at);
            return double.Parse(evidence[(at + 4)..end], CultureInfo.InvariantCulture);
        }).ToList();
        output.WriteLine(string.Join(", ", phis));
        Assert.All(phis, phi => Assert.InRange(phi, 1, 1.1));
        Assert.True(phis.Average() <= 1.05, $"mean φ {phis.Average():0.###}");
    }

    private static Trial Run(int seed)
    {
        var week = TestWeeks[seed % TestWeeks.Length];
        var options = new SampleOptions { Seed = seed, From = week.AddDays(-7 * 16), To = week.AddDays(7 * 6 - 1), Issues = 22 * 481 };
        var unchanged = new IssueMetrics(Frame(options, []), Sla).Changes(week);
        var falseFlags = unchanged["flagged"].Cast<bool?>().Count(f => f == true);

        var eligible = Enumerable.Range(0, (int)unchanged.Rows.Count)
            .Where(r => (string)unchanged["metric"][r] == IssueMetrics.IssuesOpened && (string)unchanged["request_type_title"][r] != IssueMetrics.AllTypes
                        && unchanged["baseline"][r] is double before && before >= 20 && (double)unchanged["value"][r] >= 20)
            .Select(r => ((string)unchanged["request_type_title"][r], (double)unchanged["value"][r]))
            .ToList();
        var (type, weekly) = eligible[seed % eligible.Count];
        var changed = new IssueMetrics(Frame(options, [new InjectedChange(type, week, Sla.Find(type)?.SlaDays)]), Sla).Changes(week);
        var rows = Enumerable.Range(0, (int)changed.Rows.Count)
            .Where(r => (string)changed["request_type_title"][r] == type && (string)changed["result"][r] != "no SLA").ToList();
        var misses = rows.Where(r => changed["flagged"][r] is false)
            .Select(r => $"  seed {seed}, {type} ({weekly} issues that week), {changed["metric"][r]} not flagged: {changed["evidence"][r]}");
        return new Trial((int)unchanged.Rows.Count, falseFlags, type, weekly, rows.Count, rows.Count(r => changed["flagged"][r] is true), string.Join("\n", misses),
            [.. unchanged["p_value"].Cast<double?>()], [.. changed["p_value"].Cast<double?>()],
            [.. Enumerable.Range(0, (int)changed.Rows.Count).Select(r => rows.Contains(r))]);
    }

    /// <summary>Generated issues as the portal serves them, read back as <see cref="IssueData.Load"/> would.</summary>
    internal static DataFrame Frame(SampleOptions options, IReadOnlyList<InjectedChange> changes)
    {
        using var json = new MemoryStream();
        PortalJson.Write(SampleGenerator.Generate(options, changes).Select(i => i.ToPortalRow()), json);
        json.Position = 0;
        var builder = new FrameBuilder(PortalSchema.FrameColumns);
        new SodaJsonReader(builder, "generated").Read(json);
        return builder.ToDataFrame();
    }
}
