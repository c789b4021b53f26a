using System.Globalization;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;
using ServiceRequests.Metrics;
using ServiceRequests.Portal;

namespace ServiceRequests.TestSupport.Scenarios;

/// <summary>Settings of <see cref="ScenarioGenerator"/>.</summary>
internal sealed record ScenarioSettings
{
    /// <summary>Complete weeks of data up to the last complete week; default 56.</summary>
    public int Weeks { get; init; } = 56;

    /// <summary>Types per band (5–10, 20–39, ≥ 40 a week); default 10, so 30 types and about 1,100 issues a week.</summary>
    public int TypesPerBand { get; init; } = 10;

    /// <summary>Whether the pull is on the Wednesday after the last complete week (a partial week in the data) rather than early on its Sunday.</summary>
    public bool PartialWeek { get; init; }

    /// <summary>Whether the means follow the annual season and the holiday weeks; default true.</summary>
    public bool Seasonal { get; init; } = true;

    /// <summary>Whether the means follow the types' slow trends; default true.</summary>
    public bool Trend { get; init; } = true;

    /// <summary>
    /// Whether a type's weekly count has variance μ + μ² ÷ k, k fixed per type so that the variance ratio is the type's
    /// at its base mean (negative binomial of fixed shape: the ratio grows with the mean, in busy seasons and under a
    /// volume change), rather than the type's ratio × μ at every mean (the default); the other noise to check the
    /// figures with.
    /// </summary>
    public bool QuadraticVariance { get; init; }
}

/// <summary>The truth of a generated change: the changed type, metric and weeks.</summary>
/// <param name="Type">The changed type.</param>
/// <param name="Metric">The <see cref="IssueMetrics.Changes"/> metric the change is about.</param>
/// <param name="FirstWeek">First day of the first changed week (issues opened) or creation-week cohort (outcomes).</param>
/// <param name="LastWeek">First day of the last changed week or cohort; for a change that goes on to the pull, the week of the pull.</param>
/// <param name="TestableWeeks">Changed weeks up to the last complete week (issues opened) or up to the type's latest final cohort (outcomes).</param>
internal sealed record ChangeTruth(ScenarioType Type, string Metric, DateOnly FirstWeek, DateOnly LastWeek, int TestableWeeks);

/// <summary>One generated data set with its truth.</summary>
/// <param name="Seed">The seed it was generated from.</param>
/// <param name="Scenario">The scenario.</param>
/// <param name="Frame">The issues in the portal shape (<see cref="PortalSchema.FrameColumns"/>).</param>
/// <param name="Sla">The SLA table of the types.</param>
/// <param name="AsOf">The pull time (floating, city-local).</param>
/// <param name="LastCompleteWeek">First day of the last complete week before the pull.</param>
/// <param name="FirstWeek">First day of the first week in the data.</param>
/// <param name="Types">Every type's truth.</param>
/// <param name="Truth">The change; null for <see cref="ChangeEffect.None"/>.</param>
/// <param name="Settings">The settings it was generated with.</param>
internal sealed record ScenarioDataset(
    int Seed, ChangeScenario Scenario, DataFrame Frame, SlaTable Sla, DateTime AsOf, DateOnly LastCompleteWeek, DateOnly FirstWeek,
    IReadOnlyList<ScenarioType> Types, ChangeTruth? Truth, ScenarioSettings Settings)
{
    /// <summary>The expected issues of <paramref name="type"/> in the week starting on <paramref name="week"/> without any change.</summary>
    public double WeekMean(ScenarioType type, DateOnly week)
    {
        ArgumentNullException.ThrowIfNull(type);
        var mean = type.WeekMean(week, LastCompleteWeek, Settings.Seasonal);
        return Settings.Trend ? mean : mean / Math.Exp(type.TrendPerYear * (week.DayNumber - LastCompleteWeek.DayNumber) / 365.25);
    }

    /// <summary>Whether the counts of <paramref name="type"/> have a fixed shape (<see cref="ScenarioSettings.QuadraticVariance"/>); its shape k.</summary>
    private (bool Quadratic, double Shape) CountModel(ScenarioType type) =>
        (Settings.QuadraticVariance && type.Dispersion > 1, type.BaseMean / (type.Dispersion - 1));

    /// <summary>A week's count of <paramref name="type"/> with expectation <paramref name="mean"/>.</summary>
    public int DrawCount(Random random, ScenarioType type, double mean)
    {
        ArgumentNullException.ThrowIfNull(type);
        var (quadratic, shape) = CountModel(type);
        return quadratic ? Draws.CountOfShape(random, mean, shape) : Draws.Count(random, mean, type.Dispersion);
    }

    /// <summary>The variance of a week's count of <paramref name="type"/> with expectation <paramref name="mean"/>.</summary>
    public double CountVariance(ScenarioType type, double mean)
    {
        ArgumentNullException.ThrowIfNull(type);
        var (quadratic, shape) = CountModel(type);
        return quadratic ? mean + mean * mean / shape : type.Dispersion * mean;
    }

    /// <summary>
    /// The probabilities of 0 … <paramref name="top"/> of the total of independent weeks of <paramref name="type"/> with
    /// expectations <paramref name="means"/>: exact, by the sum of the means (fixed ratio) or by convolution (fixed shape).
    /// </summary>
    public double[] TotalProbabilities(ScenarioType type, IReadOnlyList<double> means, int top)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(means);
        var (quadratic, shape) = CountModel(type);
        return quadratic
            ? means.Select(m => Draws.ShapeProbabilities(m, shape, top)).Aggregate((a, b) => Draws.Convolve(a, b, top))
            : Draws.CountProbabilities(means.Sum(), type.Dispersion, top);
    }

    /// <summary>
    /// A total beyond which the weeks' total has a tail probability far below 1e-12: 15 standard deviations, and another
    /// 32 × the largest variance ratio (a negative binomial's tail falls off as (1 − 1 ÷ ratio)^k).
    /// </summary>
    public int TotalTop(ScenarioType type, IReadOnlyList<double> means)
    {
        ArgumentNullException.ThrowIfNull(means);
        var variance = means.Sum(m => CountVariance(type, m));
        var ratio = means.Max(m => m > 0 ? CountVariance(type, m) / m : 1);
        return (int)Math.Ceiling(means.Sum() + 15 * Math.Sqrt(Math.Max(variance, 1)) + 30 + (ratio > 1 ? 32 * ratio : 0));
    }

    /// <summary>Whether the change touches the week (or cohort) starting on <paramref name="week"/>.</summary>
    public bool Changed(DateOnly week) => Truth is { } t && week >= t.FirstWeek && week <= t.LastWeek;
}

/// <summary>
/// A generator of 311 data built from first principles for measuring change detection, independent of
/// <c>SampleGenerator</c>. Per type: a base weekly mean in one of three bands, a variance ÷ mean ratio from 1
/// (Poisson) to 20 (negative binomial, gamma–Poisson), a log-linear trend, an annual season of its own amplitude and
/// phase, holiday weeks at 70 %; creation times spread over the week (weekdays busier, 06:00–22:00); close times from a
/// two-part lognormal mixture with a never-closed share, censored at the pull; SLA days for four types in five, set so
/// that 55–90 % close within them. With <see cref="ScenarioSettings.QuadraticVariance"/>, counts whose variance ratio
/// grows with the mean instead. The types and the pull date depend on the seed only, and each type draws its issues
/// from a stream of its own, so the scenarios of one seed share every unchanged type's data.
/// </summary>
internal static class ScenarioGenerator
{
    /// <summary>Relative weights of Sunday … Saturday for creation days.</summary>
    private static readonly double[] DayWeights = [0.5, 1.2, 1.15, 1.1, 1.1, 1.0, 0.6];

    /// <summary>Last complete weeks start on one of the 104 Sundays from this one, chosen by the seed.</summary>
    private static readonly DateOnly FirstPullWeek = new(2025, 1, 5);

    /// <summary>Days a cohort of a type without SLA is given before its time to close is compared (as the library does).</summary>
    public const int HorizonWithoutSla = 7;

    /// <summary>Generates the data set of <paramref name="scenario"/> for <paramref name="seed"/>.</summary>
    public static ScenarioDataset Generate(int seed, ChangeScenario scenario, ScenarioSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        settings ??= new ScenarioSettings();
        var random = new Random(seed);
        var last = FirstPullWeek.AddDays(7 * random.Next(104));
        var asOf = settings.PartialWeek ? last.AddDays(10).ToDateTime(new TimeOnly(14, 0)) : last.AddDays(7).ToDateTime(new TimeOnly(6, 0));
        var types = Types(random, last, settings);
        var first = last.AddDays(-7 * (settings.Weeks - 1));
        var truth = Truth(seed, scenario, types, last, asOf);
        var dataset = new ScenarioDataset(seed, scenario, null!, new SlaTable(types.Select(t => new SlaEntry(t.Title, "Scenario department", t.SlaDays))),
            asOf, last, first, types, truth, settings);

        var builder = new FrameBuilder(PortalSchema.FrameColumns, capacity: (int)(settings.Weeks * types.Sum(t => t.BaseMean) * 1.2));
        var (id, status, title, created, closed, updated) = (builder.IndexOf(PortalSchema.Id), builder.IndexOf(PortalSchema.Status),
            builder.IndexOf(PortalSchema.RequestTypeTitle), builder.IndexOf(PortalSchema.CreatedAt), builder.IndexOf(PortalSchema.ClosedAt), builder.IndexOf(PortalSchema.UpdatedAt));
        var next = 1L;
        for (var k = 0; k < types.Count; k++)
        {
            var type = types[k];
            var stream = new Random(unchecked(seed * 7919 + k * 104_729 + 1));
            var changed = truth?.Type == type ? scenario : null;
            for (var week = first; week.ToDateTime(TimeOnly.MinValue) < asOf; week = week.AddDays(7))
            {
                var inChange = changed is not null && dataset.Changed(week);
                var mean = dataset.WeekMean(type, week) * (inChange ? changed!.VolumeFactor : 1);
                var count = dataset.DrawCount(stream, type, mean);
                for (var i = 0; i < count; i++)
                {
                    var at = DrawCreated(stream, week);
                    var days = type.DrawCloseDays(stream);
                    if (inChange)
                    {
                        days = Apply(changed!.Effect, type, days, stream);
                    }
                    if (at >= asOf)
                    {
                        continue;
                    }
                    var end = double.IsFinite(days) ? at.AddDays(days) : DateTime.MaxValue;
                    var isClosed = end <= asOf;
                    builder.AddRow();
                    builder.SetText(id, (next++).ToString(CultureInfo.InvariantCulture));
                    builder.SetText(status, isClosed ? "Closed" : "Open");
                    builder.SetText(title, type.Title);
                    builder.SetTimestamp(created, at);
                    if (isClosed)
                    {
                        builder.SetTimestamp(closed, end);
                    }
                    builder.SetTimestamp(updated, isClosed ? end : at);
                }
            }
        }
        return dataset with { Frame = builder.ToDataFrame() };
    }

    /// <summary>A creation time in the week starting on <paramref name="week"/>: a day by <see cref="DayWeights"/>, a time from 06:00 to 22:00.</summary>
    public static DateTime DrawCreated(Random random, DateOnly week)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u = random.NextDouble() * DayWeights.Sum();
        var day = 0;
        while (day < 6 && u >= DayWeights[day])
        {
            u -= DayWeights[day];
            day++;
        }
        return week.AddDays(day).ToDateTime(TimeOnly.MinValue).AddHours(6 + 16 * random.NextDouble());
    }

    /// <summary>A close time under the change: doubled, or pushed past the SLA with the probability that takes 25 points off the share within it.</summary>
    public static double Apply(ChangeEffect effect, ScenarioType type, double days, Random random)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(random);
        return effect switch
        {
            ChangeEffect.CloseTimeDoubled => 2 * days,
            ChangeEffect.SlaShareDown25 when type.SlaDays is { } sla && days < sla && random.NextDouble() < 0.25 / type.WithinSla => sla + type.DrawSlowDays(random),
            _ => days,
        };
    }

    /// <summary>
    /// The latest creation week whose cohort is final at <paramref name="asOf"/> for a limit of <paramref name="days"/>:
    /// every issue of it is at least that old (the library's rule, measured on the wall clock).
    /// </summary>
    public static DateOnly LatestFinalCohort(DateOnly lastCompleteWeek, DateTime asOf, double days)
    {
        var week = lastCompleteWeek;
        while (week.AddDays(7).ToDateTime(TimeOnly.MinValue).AddDays(days) > asOf)
        {
            week = week.AddDays(-7);
        }
        return week;
    }

    /// <summary>The days after which a cohort of <paramref name="type"/> is final: its SLA, or <see cref="HorizonWithoutSla"/>.</summary>
    public static int Horizon(ScenarioType type) => type?.SlaDays ?? HorizonWithoutSla;

    private static List<ScenarioType> Types(Random random, DateOnly reference, ScenarioSettings settings)
    {
        var types = new List<ScenarioType>();
        foreach (var band in Enum.GetValues<VolumeBand>())
        {
            for (var k = 0; k < settings.TypesPerBand; k++)
            {
                var target = band switch
                {
                    VolumeBand.Small => 5 + 5 * random.NextDouble(),
                    VolumeBand.Medium => 20 + 19 * random.NextDouble(),
                    _ => 40 * Math.Exp(Math.Log(4) * random.NextDouble()),
                };
                var dispersion = random.NextDouble() < 0.2 ? 1 : Math.Exp(Math.Log(20) * random.NextDouble());
                var amplitude = 0.35 * random.NextDouble();
                var peak = 365 * random.NextDouble();
                var season = 1 + amplitude * Math.Cos(2 * Math.PI * (reference.AddDays(3).DayOfYear - peak) / 365.25);
                var type = new ScenarioType(
                    Title: string.Create(CultureInfo.InvariantCulture, $"Type {types.Count + 1:00}"),
                    Band: band,
                    // The mean of the last complete week (before holidays) lies in the band.
                    BaseMean: target / (settings.Seasonal ? season : 1),
                    Dispersion: dispersion,
                    TrendPerYear: -0.4 + 0.8 * random.NextDouble(),
                    SeasonAmplitude: amplitude,
                    SeasonPeakDay: peak,
                    FastShare: 0.5 + 0.4 * random.NextDouble(),
                    FastMedianDays: 0.3 * Math.Exp(Math.Log(5 / 0.3) * random.NextDouble()),
                    FastSigma: 0.5 + 0.7 * random.NextDouble(),
                    SlowMedianDays: 10 * Math.Exp(Math.Log(6) * random.NextDouble()),
                    SlowSigma: 0.6 + 0.6 * random.NextDouble(),
                    NeverClosedShare: 0.08 * random.NextDouble(),
                    SlaDays: null);
                var hasSla = random.NextDouble() < 0.8;
                var share = 0.55 + 0.35 * random.NextDouble();
                if (hasSla)
                {
                    var days = 1;
                    while (days < 365 && type.CloseCdf(days) < share)
                    {
                        days++;
                    }
                    type = type with { SlaDays = days };
                }
                types.Add(type);
            }
        }
        return types;
    }

    private static ChangeTruth? Truth(int seed, ChangeScenario scenario, List<ScenarioType> types, DateOnly last, DateTime asOf)
    {
        if (scenario.Metric is not { } metric)
        {
            return null;
        }
        var choice = new Random(unchecked(seed * 31 + (int)scenario.Band));
        var eligible = types.Where(t => t.Band == scenario.Band && (scenario.Effect != ChangeEffect.SlaShareDown25 || t.SlaDays is not null)).ToList();
        var type = eligible[choice.Next(eligible.Count)];
        var end = scenario.OnOutcomes ? LatestFinalCohort(last, asOf, Horizon(type)) : last;
        var firstWeek = end.AddDays(-7 * (scenario.Weeks - 1));
        return new ChangeTruth(type, metric, firstWeek, scenario.Spike ? end : DateOnly.FromDateTime(asOf).AddDays(7), scenario.Weeks);
    }
}
