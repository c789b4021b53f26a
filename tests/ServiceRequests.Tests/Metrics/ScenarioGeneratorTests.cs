using Microsoft.Data.Analysis;
using ServiceRequests.TestSupport.Scenarios;

namespace ServiceRequests.Tests.Metrics;

/// <summary>
/// The scenario generator (<see cref="ScenarioGenerator"/>) and its oracle (<see cref="Oracle"/>) against their own
/// definitions: the counts have the intended means and variance ÷ mean, season, trend and holidays move the means as
/// intended, the close times give the intended never-closed and within-SLA shares, the changes do what they say, and the
/// oracle's tests hold their level when nothing changed. Every check allows 4.5 standard errors (or the stated
/// tolerance), so that a right generator fails about once in 10⁵ runs.
/// </summary>
public class ScenarioGeneratorTests
{
    private static readonly ScenarioSettings Flat = new() { Weeks = 260, Seasonal = false, Trend = false };

    [Theory]
    [InlineData(0.3)]
    [InlineData(2.5)]
    [InlineData(40)]
    public void Gamma_draws_have_the_shape_as_mean_and_variance(double shape)
    {
        var random = new Random(11);
        var x = Enumerable.Range(0, 40_000).Select(_ => Draws.Gamma(random, shape)).ToArray();
        var mean = x.Average();
        var variance = x.Sum(v => (v - mean) * (v - mean)) / (x.Length - 1);
        Assert.InRange(mean, shape - 4.5 * Math.Sqrt(shape / x.Length), shape + 4.5 * Math.Sqrt(shape / x.Length));
        // Var(s²) ≈ σ⁴ (2 / n + excess kurtosis / n), excess kurtosis of a gamma 6 / shape.
        var se = shape * Math.Sqrt((2 + 6 / shape) / x.Length);
        Assert.InRange(variance, shape - 4.5 * se, shape + 4.5 * se);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(250, 1)]
    [InlineData(7, 20)]
    [InlineData(90, 6)]
    public void Counts_have_the_mean_and_the_variance_ratio(double mean, double ratio)
    {
        var random = new Random(12);
        var x = Enumerable.Range(0, 40_000).Select(_ => (double)Draws.Count(random, mean, ratio)).ToArray();
        AssertMeanAndRatio(x, mean, ratio);
        // The probabilities the oracle uses are those of the draws: their mean and variance match.
        var p = Draws.CountProbabilities(mean, ratio, (int)(mean + 15 * Math.Sqrt(mean * ratio) + 30 + 32 * ratio));
        var m = p.Select((q, k) => q * k).Sum();
        Assert.Equal(1, p.Sum(), 9);
        Assert.Equal(mean, m, 6);
        Assert.Equal(ratio * mean, p.Select((q, k) => q * (k - m) * (k - m)).Sum(), 4);
    }

    [Theory]
    [InlineData(7, 0.4)]
    [InlineData(120, 12)]
    public void Counts_of_a_fixed_shape_have_the_mean_and_variance_mean_plus_mean_squared_over_the_shape(double mean, double shape)
    {
        var random = new Random(13);
        var x = Enumerable.Range(0, 40_000).Select(_ => (double)Draws.CountOfShape(random, mean, shape)).ToArray();
        AssertMeanAndRatio(x, mean, 1 + mean / shape);
        var top = (int)(mean + 15 * Math.Sqrt(mean + mean * mean / shape) + 30 + 32 * (1 + mean / shape));
        var p = Draws.ShapeProbabilities(mean, shape, top);
        var twice = Draws.Convolve(p, p, top);
        Assert.Equal(1, p.Sum(), 9);
        Assert.Equal(2 * mean, twice.Select((q, k) => q * k).Sum(), 6);
        Assert.Equal(2 * (mean + mean * mean / shape), twice.Select((q, k) => q * (k - 2 * mean) * (k - 2 * mean)).Sum(), 4);
    }

    [Fact]
    public void Each_types_weekly_counts_in_the_data_have_its_mean_and_variance_ratio()
    {
        var data = ScenarioGenerator.Generate(3, ChangeScenario.Unchanged, Flat);
        var counts = WeeklyCounts(data);
        Assert.Equal(30, data.Types.Count);
        Assert.Contains(data.Types, t => t.Dispersion == 1);
        Assert.Contains(data.Types, t => t.Dispersion > 10);
        foreach (var type in data.Types)
        {
            AssertMeanAndRatio([.. counts[type.Title].Select(c => (double)c)], type.BaseMean, type.Dispersion);
        }
        Assert.InRange(data.Types.Sum(t => t.BaseMean), 900, 1600);
        Assert.All(data.Types.Where(t => t.Band == VolumeBand.Small), t => Assert.InRange(t.BaseMean, 5, 10));
        Assert.All(data.Types.Where(t => t.Band == VolumeBand.Medium), t => Assert.InRange(t.BaseMean, 20, 39));
        Assert.All(data.Types.Where(t => t.Band == VolumeBand.Large), t => Assert.True(t.BaseMean >= 40));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Season_trend_and_holidays_move_the_means_and_the_counts_follow_them(bool quadratic)
    {
        var data = ScenarioGenerator.Generate(5, ChangeScenario.Unchanged, new ScenarioSettings { Weeks = 156, QuadraticVariance = quadratic });
        var type = data.Types.MaxBy(t => t.SeasonAmplitude)!;
        var reference = data.LastCompleteWeek;
        // The definitions: the trend over a year, the seasonal peak against the trough, a holiday week.
        var flat = type with { SeasonAmplitude = 0 };
        var noHoliday = new DateOnly(2025, 3, 9);
        Assert.Equal(Math.Exp(type.TrendPerYear * 364 / 365.25), flat.WeekMean(noHoliday.AddDays(364), noHoliday) / flat.WeekMean(noHoliday, noHoliday), 9);
        var seasonal = type with { TrendPerYear = 0 };
        var means = Enumerable.Range(0, 52).Select(k => noHoliday.AddDays(7 * k)).Where(w => !Holidays.InWeek(w)).Select(w => seasonal.WeekMean(w, noHoliday)).ToList();
        Assert.True(type.SeasonAmplitude > 0.2);
        Assert.InRange(means.Max() / means.Min(), (1 + type.SeasonAmplitude) / (1 - type.SeasonAmplitude) * 0.9, (1 + type.SeasonAmplitude) / (1 - type.SeasonAmplitude) * 1.01);
        var thanksgiving = new DateOnly(2025, 11, 23);
        Assert.True(Holidays.InWeek(thanksgiving) && Holidays.InWeek(new DateOnly(2025, 12, 21)) && Holidays.InWeek(new DateOnly(2025, 12, 28)) && Holidays.InWeek(new DateOnly(2025, 6, 29)));
        Assert.False(Holidays.InWeek(new DateOnly(2025, 11, 16)) || Holidays.InWeek(new DateOnly(2025, 11, 30)));
        Assert.Equal(ScenarioType.HolidayFactor, flat.WeekMean(thanksgiving, reference) / flat.WeekMean(thanksgiving, reference, seasonal: false), 9);

        // The counts: every week's total over the types against its expectation, in standard errors (χ² with one degree
        // of freedom a week); and the holiday weeks' totals against their expectation.
        var counts = WeeklyCounts(data);
        double chi2 = 0, holidayCount = 0, holidayExpected = 0, holidayVariance = 0;
        var weeks = 0;
        for (var week = data.FirstWeek; week <= data.LastCompleteWeek; week = week.AddDays(7), weeks++)
        {
            var k = (week.DayNumber - data.FirstWeek.DayNumber) / 7;
            var total = data.Types.Sum(t => counts[t.Title][k]);
            var expected = data.Types.Sum(t => data.WeekMean(t, week));
            var variance = data.Types.Sum(t => data.CountVariance(t, data.WeekMean(t, week)));
            chi2 += (total - expected) * (total - expected) / variance;
            if (Holidays.InWeek(week))
            {
                holidayCount += total;
                holidayExpected += expected;
                holidayVariance += variance;
            }
        }
        Assert.InRange(chi2, weeks - 4.5 * Math.Sqrt(2.0 * weeks), weeks + 4.5 * Math.Sqrt(2.0 * weeks));
        Assert.InRange(holidayCount, holidayExpected - 4.5 * Math.Sqrt(holidayVariance), holidayExpected + 4.5 * Math.Sqrt(holidayVariance));
    }

    [Fact]
    public void Close_times_give_the_never_closed_and_within_sla_shares()
    {
        var data = ScenarioGenerator.Generate(7, ChangeScenario.Unchanged, new ScenarioSettings { Weeks = 104 });
        var byType = data.Types.ToDictionary(t => t.Title);
        double open = 0, openExpected = 0, openVariance = 0, openWithoutNever = 0, met = 0, metExpected = 0, metVariance = 0;
        foreach (var (type, created, closed) in Outcomes(data.Frame))
        {
            var t = byType[type];
            var age = (data.AsOf - created).TotalDays;
            if (age >= 300)
            {
                // Issues this old are open with the never-closed share and the mixture's far tail.
                var p = 1 - t.CloseCdf(age);
                open += closed is null ? 1 : 0;
                openExpected += p;
                openVariance += p * (1 - p);
                openWithoutNever += 1 - (t with { NeverClosedShare = 0 }).CloseCdf(age);
            }
            if (t.SlaDays is { } sla && age >= sla)
            {
                var p = t.WithinSla;
                met += closed is { } c && (c - created).TotalDays < sla ? 1 : 0;
                metExpected += p;
                metVariance += p * (1 - p);
            }
        }
        Assert.InRange(open, openExpected - 4.5 * Math.Sqrt(openVariance), openExpected + 4.5 * Math.Sqrt(openVariance));
        // Without the never-closed share far fewer of the old issues would be open.
        Assert.True(open > openWithoutNever + 4.5 * Math.Sqrt(openVariance), $"{open} open, {openWithoutNever:0} expected without the never-closed share");
        Assert.InRange(met, metExpected - 4.5 * Math.Sqrt(metVariance), metExpected + 4.5 * Math.Sqrt(metVariance));
        Assert.All(data.Types.Where(t => t.SlaDays is not null), t => Assert.InRange(t.WithinSla, 0.55, 0.95));
        Assert.InRange(data.Types.Count(t => t.SlaDays is null), 1, 15);
    }

    [Theory]
    [InlineData("VolumeUp100")]
    [InlineData("SlaShareDown25")]
    [InlineData("CloseTimeDoubled")]
    public void A_change_does_what_it_says_in_the_changed_weeks(string change)
    {
        var effect = Enum.Parse<ChangeEffect>(change);
        // Over many seeds, the changed type's issues of the changed weeks (cohorts) against their expectation under the change.
        var scenario = new ChangeScenario(effect, VolumeBand.Large, 4);
        double observed = 0, expected = 0, variance = 0, unchanged = 0;
        foreach (var seed in Enumerable.Range(1, 12))
        {
            var data = ScenarioGenerator.Generate(seed, scenario, new ScenarioSettings { Weeks = 30 });
            var truth = data.Truth!;
            var type = truth.Type;
            Assert.Equal(4, truth.TestableWeeks);
            var end = truth.FirstWeek.AddDays(21);
            Assert.Equal(scenario.OnOutcomes ? ScenarioGenerator.LatestFinalCohort(data.LastCompleteWeek, data.AsOf, ScenarioGenerator.Horizon(type)) : data.LastCompleteWeek, end);
            var median = Median(type);
            if (effect == ChangeEffect.VolumeUp100)
            {
                for (var week = truth.FirstWeek; week <= end; week = week.AddDays(7))
                {
                    expected += 2 * data.WeekMean(type, week);
                    variance += 2 * data.WeekMean(type, week) * type.Dispersion;
                    unchanged += data.WeekMean(type, week);
                }
            }
            foreach (var (_, created, closed) in Outcomes(data.Frame).Where(o => o.Type == type.Title))
            {
                var week = DateOnly.FromDateTime(created).AddDays(-(int)created.DayOfWeek);
                if (week < truth.FirstWeek || week > end)
                {
                    continue;
                }
                var age = (data.AsOf - created).TotalDays;
                switch (effect)
                {
                    case ChangeEffect.VolumeUp100:
                        observed++;
                        break;
                    case ChangeEffect.SlaShareDown25:
                        // Closed within the SLA: 25 points fewer than the type's share.
                        var p = type.WithinSla - 0.25;
                        observed += closed is { } c && (c - created).TotalDays < type.SlaDays ? 1 : 0;
                        expected += p;
                        variance += p * (1 - p);
                        unchanged += type.WithinSla;
                        break;
                    default:
                        // Closed within the unchanged median (and by the pull): as if the close times were doubled.
                        var q = type.CloseCdf(Math.Min(median, age), scale: 2);
                        observed += closed is { } d && (d - created).TotalDays < median ? 1 : 0;
                        expected += q;
                        variance += q * (1 - q);
                        unchanged += type.CloseCdf(Math.Min(median, age));
                        break;
                }
            }
        }
        Assert.InRange(observed, expected - 4.5 * Math.Sqrt(variance), expected + 4.5 * Math.Sqrt(variance));
        Assert.True(Math.Abs(unchanged - expected) > 9 * Math.Sqrt(variance), $"unchanged {unchanged:0}, changed {expected:0} ± {Math.Sqrt(variance):0}");
    }

    [Theory]
    [InlineData("VolumeUp50", "Medium", false)]
    [InlineData("VolumeUp50", "Large", true)]
    [InlineData("SlaShareDown25", "Large", false)]
    [InlineData("CloseTimeDoubled", "Large", false)]
    public void The_oracle_holds_its_level_on_unchanged_weeks_and_finds_changes(string change, string sizeBand, bool quadratic)
    {
        var (effect, band) = (Enum.Parse<ChangeEffect>(change), Enum.Parse<VolumeBand>(sizeBand));
        var data = ScenarioGenerator.Generate(9, new ChangeScenario(effect, band, 4), new ScenarioSettings { Weeks = 30, QuadraticVariance = quadratic });
        var truth = data.Truth!;
        // Weeks before the change: the power is the level (the count test is exact and discrete, so at most the level),
        // at 0.05 and at the 0.005 or so of a report's rows (FDR 0.25 over about 50 tested rows).
        foreach (var (alpha, draws) in new[] { (0.05, 4000), (0.005, 20_000) })
        {
            var level = Oracle.Power(data, truth.FirstWeek.AddDays(-28), 4, alpha, draws, 1);
            var se = Math.Sqrt(alpha * (1 - alpha) / draws);
            Assert.InRange(level, effect == ChangeEffect.VolumeUp50 ? alpha / 3 : alpha - 4.5 * se, alpha + (effect == ChangeEffect.VolumeUp50 ? 0 : 4.5 * se));
        }
        var size = Oracle.Power(data, truth.FirstWeek.AddDays(-28), 4, 0.05, 4000, 1);
        Assert.True(Oracle.Power(data, truth.FirstWeek, 4, 0.05, 1000, 2) > 2 * size);
    }

    /// <summary>The unchanged median close time of a type (never-closed issues counted as not closed).</summary>
    private static double Median(ScenarioType type)
    {
        double low = 0.001, high = 10_000;
        while (high - low > 1e-6)
        {
            var mid = (low + high) / 2;
            (low, high) = type.CloseCdf(mid) < 0.5 ? (mid, high) : (low, mid);
        }
        return low;
    }

    private static void AssertMeanAndRatio(double[] x, double mean, double ratio)
    {
        var n = x.Length;
        var m = x.Average();
        var variance = x.Sum(v => (v - m) * (v - m)) / (n - 1);
        Assert.InRange(m, mean - 4.5 * Math.Sqrt(ratio * mean / n), mean + 4.5 * Math.Sqrt(ratio * mean / n));
        // Var(s²) ≈ σ⁴ (2 / (n − 1) + κ / n), κ the negative binomial's excess kurtosis 6 (ratio − 1) / mean + 1 / (ratio × mean).
        var sigma2 = ratio * mean;
        var kurtosis = 6 * (ratio - 1) / mean + 1 / (ratio * mean);
        var se = sigma2 * Math.Sqrt(2.0 / (n - 1) + kurtosis / n);
        Assert.InRange(variance, sigma2 - 4.5 * se, sigma2 + 4.5 * se);
    }

    /// <summary>Issues per type per complete week, from the first week of the data.</summary>
    private static Dictionary<string, int[]> WeeklyCounts(ScenarioDataset data)
    {
        var weeks = (data.LastCompleteWeek.DayNumber - data.FirstWeek.DayNumber) / 7 + 1;
        var counts = data.Types.ToDictionary(t => t.Title, _ => new int[weeks]);
        foreach (var (type, created, _) in Outcomes(data.Frame))
        {
            var k = (DateOnly.FromDateTime(created).DayNumber - data.FirstWeek.DayNumber) / 7;
            if (k < weeks)
            {
                counts[type][k]++;
            }
        }
        return counts;
    }

    private static IEnumerable<(string Type, DateTime Created, DateTime? Closed)> Outcomes(DataFrame frame)
    {
        var type = frame["request_type_title"];
        var created = frame["created_at"];
        var closed = frame["closed_at"];
        for (long i = 0; i < frame.Rows.Count; i++)
        {
            yield return ((string)type[i], (DateTime)created[i], (DateTime?)closed[i]);
        }
    }
}
