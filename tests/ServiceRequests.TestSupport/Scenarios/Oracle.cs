using MathNet.Numerics.Distributions;
using ServiceRequests.Metrics;

namespace ServiceRequests.TestSupport.Scenarios;

/// <summary>
/// The power of tests that know the truth of a <see cref="ScenarioDataset"/>: every week's expected count and dispersion,
/// the close-time distribution and the SLA share. Each is two-sided at level α (the per-row level that Benjamini–Hochberg
/// amounts to with one true change among m tested rows: α = FDR ÷ m) and tests the changed type's issues in the weeks
/// (or creation-week cohorts) it is given, with nothing estimated from the data:
/// <list type="bullet">
/// <item>issues opened: the exact distribution of the weeks' total (no simulation): negative binomial (Poisson at ratio 1)
/// of the summed known means when the variance ratio is fixed, the convolution of the weeks' negative binomials when
/// their shape is (<see cref="ScenarioSettings.QuadraticVariance"/>);</item>
/// <item>SLA share: the exact binomial test of the cohorts' issues closed within SLA against the known share;</item>
/// <item>time to close: the score test of a change of scale of the known close-time distribution (never-closed share
/// included), the change a doubling of close times is: each issue's close time (censored at the pull) scores
/// ∂/∂θ log L at θ = 0 for close times × e^θ, and Z = ΣU ÷ √ΣU². It is the locally most powerful test of such a change;
/// the one-sample log-rank test, which suits proportional hazards, had much less power on these lognormal mixtures
/// (0.02–0.59 where this one has 0.26–0.81, single cohorts of 20–39 issues a week).</item>
/// </list>
/// The outcome tests' power is found by simulating the cohorts from the generator's truth.
/// </summary>
internal static class Oracle
{
    /// <summary>The power of the oracle test of <paramref name="weeks"/> weeks (cohorts) from <paramref name="first"/> at level <paramref name="alpha"/>.</summary>
    /// <param name="data">The data set with its truth (a change is required).</param>
    /// <param name="first">First day of the first tested week.</param>
    /// <param name="weeks">Weeks tested.</param>
    /// <param name="alpha">Two-sided level.</param>
    /// <param name="draws">Simulated data sets for the outcome tests.</param>
    /// <param name="seed">Seed of the simulation.</param>
    public static double Power(ScenarioDataset data, DateOnly first, int weeks, double alpha, int draws, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var truth = data.Truth ?? throw new ArgumentException("The data set has no change.", nameof(data));
        var tested = Enumerable.Range(0, weeks).Select(k => first.AddDays(7 * k)).ToArray();
        return truth.Metric switch
        {
            IssueMetrics.IssuesOpened => CountPower(data, truth.Type, tested, alpha),
            IssueMetrics.PercWithinSla => SharePower(data, truth.Type, tested, alpha, draws, new Random(seed)),
            _ => ClosePower(data, truth.Type, tested, alpha, draws, new Random(seed)),
        };
    }

    private static double CountPower(ScenarioDataset data, ScenarioType type, DateOnly[] tested, double alpha)
    {
        var null0 = tested.Select(w => data.WeekMean(type, w)).ToList();
        var changed = tested.Select(w => data.WeekMean(type, w) * (data.Changed(w) ? data.Scenario.VolumeFactor : 1)).ToList();
        var top = Math.Max(data.TotalTop(type, null0), data.TotalTop(type, changed));
        var reject = Draws.RejectionRegion(data.TotalProbabilities(type, null0, top), alpha);
        var alternative = data.TotalProbabilities(type, changed, top);
        return alternative.Where((_, k) => reject[k]).Sum();
    }

    private static double SharePower(ScenarioDataset data, ScenarioType type, DateOnly[] tested, double alpha, int draws, Random random)
    {
        var p0 = type.WithinSla;
        var regions = new Dictionary<int, bool[]>();
        var rejected = 0;
        for (var d = 0; d < draws; d++)
        {
            int n = 0, met = 0;
            foreach (var week in tested)
            {
                var issues = data.DrawCount(random, type, data.WeekMean(type, week));
                n += issues;
                met += Draws.Binomial(random, issues, data.Changed(week) ? p0 - 0.25 : p0);
            }
            if (n == 0)
            {
                continue;
            }
            if (!regions.TryGetValue(n, out var region))
            {
                region = Draws.RejectionRegion(Draws.BinomialProbabilities(n, p0), alpha);
                regions[n] = region;
            }
            if (region[met])
            {
                rejected++;
            }
        }
        return (double)rejected / draws;
    }

    private static double ClosePower(ScenarioDataset data, ScenarioType type, DateOnly[] tested, double alpha, int draws, Random random)
    {
        var critical = Normal.InvCDF(0, 1, 1 - alpha / 2);
        var rejected = 0;
        for (var d = 0; d < draws; d++)
        {
            double score = 0, squares = 0;
            foreach (var week in tested)
            {
                var issues = data.DrawCount(random, type, data.WeekMean(type, week));
                var changed = data.Changed(week);
                for (var i = 0; i < issues; i++)
                {
                    var created = ScenarioGenerator.DrawCreated(random, week);
                    var days = type.DrawCloseDays(random);
                    if (changed)
                    {
                        days = ScenarioGenerator.Apply(data.Scenario.Effect, type, days, random);
                    }
                    var age = (data.AsOf - created).TotalDays;
                    if (age <= 0)
                    {
                        continue;
                    }
                    var u = days <= age ? type.ClosedScaleScore(days) : type.OpenScaleScore(age);
                    score += u;
                    squares += u * u;
                }
            }
            if (squares > 0 && Math.Abs(score) / Math.Sqrt(squares) >= critical)
            {
                rejected++;
            }
        }
        return (double)rejected / draws;
    }
}
