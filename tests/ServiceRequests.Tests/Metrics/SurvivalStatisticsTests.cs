using MathNet.Numerics.Distributions;
using ServiceRequests.Metrics;

namespace ServiceRequests.Tests.Metrics;

/// <summary>
/// Kaplan–Meier, Greenwood, the log-log intervals, the rank tests, Wilson and Benjamini–Hochberg
/// against published figures and hand computation. The expected values are worked out here, not
/// taken from the code under test.
/// </summary>
public class SurvivalStatisticsTests
{
    /// <summary>
    /// Freireich et al. (1963), Blood 21:699–716: weeks in remission of 21 leukaemia patients given
    /// 6-mercaptopurine (a + marks a censored time) and of 21 given placebo, as tabulated in
    /// Kleinbaum and Klein, Survival Analysis: A Self-Learning Text (3rd ed., 2012), chapter 2, and
    /// Klein and Moeschberger, Survival Analysis (2nd ed., 2003), section 4.2, table 4.1A.
    /// </summary>
    private static readonly double[] SixMpTimes = [6, 6, 6, 7, 10, 13, 16, 22, 23, 6, 9, 10, 11, 17, 19, 20, 25, 32, 32, 34, 35];
    private static readonly bool[] SixMpClosed = [.. Enumerable.Repeat(true, 9), .. Enumerable.Repeat(false, 12)];
    private static readonly double[] PlaceboTimes = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23];

    [Fact]
    public void Kaplan_Meier_of_the_6_MP_group_matches_the_textbook_table()
    {
        var km = KaplanMeier.Estimate(SixMpTimes, SixMpClosed);

        // By hand: at each distinct time of relapse t with n at risk and d relapses, S *= (n - d)/n.
        // t=6: n=21, d=3; t=7: n=17 (the 6+ left); t=10: n=15 (9+ left); t=13: n=12 (10+, 11+ left);
        // t=16: n=11; t=22: n=7 (17+, 19+, 20+ left); t=23: n=6.
        Assert.Equal([6.0, 7, 10, 13, 16, 22, 23], km.Times);
        Assert.Equal([21, 17, 15, 12, 11, 7, 6], km.AtRisk);
        Assert.Equal([3, 1, 1, 1, 1, 1, 1], km.Events);
        double[] steps = [18.0 / 21, 16.0 / 17, 14.0 / 15, 11.0 / 12, 10.0 / 11, 6.0 / 7, 5.0 / 6];
        var s = 1.0;
        for (var k = 0; k < steps.Length; k++)
        {
            s *= steps[k];
            Assert.Equal(s, km.Survival[k], 12);
        }
        // The textbook's rounded column: 0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448.
        Assert.Equal([0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448], km.Survival.Select(v => Math.Round(v, 3)));

        // Greenwood: Var(S) = S² Σ d/(n(n − d)); first term 3/(21·18), then 1/(17·16), ...
        var sum = 0.0;
        (int N, int D)[] risk = [(21, 3), (17, 1), (15, 1), (12, 1), (11, 1), (7, 1), (6, 1)];
        for (var k = 0; k < risk.Length; k++)
        {
            sum += (double)risk[k].D / (risk[k].N * (risk[k].N - risk[k].D));
            Assert.Equal(km.Survival[k] * Math.Sqrt(sum), km.StandardError(k), 12);
        }
        // Klein and Moeschberger's standard errors: 0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346.
        Assert.Equal([0.0764, 0.0869, 0.0963, 0.1068, 0.1141, 0.1282, 0.1346], Enumerable.Range(0, 7).Select(k => Math.Round(km.StandardError(k), 4)));

        // Median: the first time S ≤ 0.5 is 23 weeks (S(22) = 0.538 > 0.5); 90 % never relapse: not reached.
        var median = km.Quantile(0.5);
        Assert.Equal(23, median.Estimate);
        Assert.Null(km.Quantile(0.9).Estimate);

        // log(−log) interval, R survival 3.5-3: survfit(Surv(t, e) ~ 1, conf.type = "log-log").
        Assert.Equal(0.619717955265984, km.Interval(0).Low, 9);
        Assert.Equal(0.951551747646997, km.Interval(0).High, 9);
        Assert.Equal(0.188052005959232, km.Interval(6).Low, 9);
        Assert.Equal(0.680142628495241, km.Interval(6).High, 9);
        // quantile(fit, 0.5): median 23, lower 13 (the first time the lower band is ≤ 0.5), upper NA.
        Assert.Equal(13, median.Low);
        Assert.Null(median.High);
    }

    [Fact]
    public void Placebo_group_quantiles_and_the_rank_tests_match_R()
    {
        var km = KaplanMeier.Estimate(PlaceboTimes, [.. Enumerable.Repeat(true, 21)]);
        // Every patient relapsed: S(5) = 12/21 = 0.571 > 0.5, S(8) = 8/21 = 0.381: median 8 weeks
        // (Kleinbaum and Klein); S(15) = 3/21 > 0.1, S(17) = 2/21 ≤ 0.1: p90 17.
        Assert.Equal(8.0 / 21, km.SurvivalAt(8), 12);
        Assert.Equal(12.0 / 21, km.SurvivalAt(7.9), 12);
        Assert.Equal((8.0, 4.0, 11.0), (km.Quantile(0.5).Estimate!.Value, km.Quantile(0.5).Low!.Value, km.Quantile(0.5).High!.Value));
        // R: quantile(survfit(..., conf.type = "log-log"), 0.9) gives 17, lower 12, upper NA (the
        // band is undefined once S = 0).
        Assert.Equal((17.0, 12.0), (km.Quantile(0.9).Estimate!.Value, km.Quantile(0.9).Low!.Value));
        Assert.Null(km.Quantile(0.9).High);
        Assert.True(double.IsNaN(km.Interval(km.Times.Length - 1).Low));

        double[] times = [.. SixMpTimes, .. PlaceboTimes];
        bool[] closed = [.. SixMpClosed, .. Enumerable.Repeat(true, 21)];
        bool[] sixMp = [.. Enumerable.Repeat(true, 21), .. Enumerable.Repeat(false, 21)];
        // Log-rank: Kleinbaum and Klein report χ² = 16.79 for these groups; R survdiff: O − E = −10.2505
        // for 6-MP (9 relapses where 19.25 were expected), V = 6.25696.
        var (logRank, logRankVariance) = Inference.RankTest(times, closed, sixMp, rho: 0);
        Assert.Equal(-10.2505009480311, logRank, 9);
        Assert.Equal(6.2569605736755, logRankVariance, 9);
        Assert.Equal(16.79, Math.Round(logRank * logRank / logRankVariance, 2));
        // Peto–Peto: R survdiff(rho = 1): weighted O − E = −6.87704503757192, V = 3.27130490937143, χ² = 14.457.
        var (peto, petoVariance) = Inference.RankTest(times, closed, sixMp);
        Assert.Equal(-6.87704503757192, peto, 9);
        Assert.Equal(3.27130490937143, petoVariance, 9);
        Assert.Equal(1.43384444819428e-4, Inference.NormalP(peto / Math.Sqrt(petoVariance)), 9);
    }

    [Fact]
    public void A_small_case_by_hand_with_ties_censoring_and_not_reached()
    {
        // Times 1, 2, 2+, 3, 5+ (days): at 1, 5 at risk and one closes: S = 4/5. At 2, four at risk,
        // one closes and one is censored at the same time (censored ones count as at risk): S = 4/5 · 3/4 = 3/5.
        // At 3, two at risk: S = 3/5 · 1/2 = 3/10. Median: first S ≤ 0.5 is at 3. p90: S never ≤ 0.1.
        var km = KaplanMeier.Estimate([1, 2, 2, 3, 5], [true, true, false, true, false]);
        Assert.Equal([1.0, 2, 3], km.Times);
        Assert.Equal([5, 4, 2], km.AtRisk);
        Assert.Equal([0.8, 0.6, 0.3], km.Survival.Select(v => Math.Round(v, 12)));
        Assert.Equal(3, km.Quantile(0.5).Estimate);
        Assert.Null(km.Quantile(0.9).Estimate);
        Assert.Equal(1, km.SurvivalAt(0.5));
        Assert.Equal(0.6, km.SurvivalAt(2.5), 12);
        // Negative times (closed before created, a data quirk) count as closing at 0.
        Assert.Equal([0.0], KaplanMeier.Estimate([-0.5], [true]).Times);
        // Nothing closed: no steps, nothing reached.
        var open = KaplanMeier.Estimate([4, 9], [false, false]);
        Assert.Empty(open.Times);
        Assert.Equal((null, null, null), open.Quantile(0.5));
    }

    [Fact]
    public void Wilson_intervals_match_Newcombe()
    {
        // Newcombe (1998), Statistics in Medicine 17:857–872, table II, method 3 (score, no continuity correction).
        foreach (var (x, n, low, high) in new[] { (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718) })
        {
            var interval = Inference.Wilson(x, n)!.Value;
            Assert.Equal(low, Math.Round(interval.Low, 4));
            Assert.Equal(high, Math.Round(interval.High, 4));
        }
        Assert.Null(Inference.Wilson(0, 0));
        Assert.Equal((0.0, 1.0), Inference.Wilson(1, 1, z: 0) is { } exact ? (exact.Low - 1, exact.High) : default);
    }

    [Fact]
    public void Benjamini_Hochberg_by_hand()
    {
        // Sorted p: 0.005, 0.01, 0.03, 0.04, 0.2 (m = 5); p·m/rank: 0.025, 0.025, 0.05, 0.05, 0.2, then
        // the running minimum from the largest down. Same as R's p.adjust(method = "BH").
        var q = Inference.BenjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.2, null]);
        Assert.Equal([0.025, 0.05, 0.05, 0.025, 0.2, null], q.Select(v => v is { } x ? Math.Round(x, 12) : (double?)null));
        // m = 2: 0.02·2/1 = 0.04 is above 0.03·2/2 = 0.03, so the running minimum gives both 0.03.
        Assert.Equal([0.03, 0.03], Inference.BenjaminiHochberg([0.03, 0.02]).Select(v => Math.Round(v!.Value, 12)));
    }

    [Fact]
    public void P_values_of_normal_and_t_statistics()
    {
        Assert.Equal(0.05, Inference.NormalP(1.959963984540054), 9);
        Assert.Equal(1, Inference.NormalP(0), 12);
        // t with 10 degrees of freedom: the two-sided 5 % point is 2.228139 (standard tables).
        Assert.Equal(0.05, Inference.StudentP(2.228138851986, 10), 9);
        Assert.Equal(2.228138851986, Inference.StudentQuantile(10), 9);
        Assert.Equal(Inference.NormalP(2.5), Inference.StudentP(2.5, double.PositiveInfinity), 12);
    }

    [Fact]
    public void Trigamma_matches_its_closed_forms_and_its_inverse_undoes_it()
    {
        // ψ′(1) = π²/6, ψ′(1/2) = π²/2, ψ′(x + 1) = ψ′(x) − 1/x², and ψ′(x) ≈ 1/x + 1/(2x²) + 1/(6x³) for large x.
        Assert.Equal(Math.PI * Math.PI / 6, Inference.Trigamma(1), 12);
        Assert.Equal(Math.PI * Math.PI / 2, Inference.Trigamma(0.5), 12);
        Assert.Equal(Inference.Trigamma(3.7) - 1 / (3.7 * 3.7), Inference.Trigamma(4.7), 12);
        Assert.Equal(1 / 1e4 + 1 / 2e8 + 1 / 6e12, Inference.Trigamma(1e4), 15);
        foreach (var x in new[] { 0.01, 0.5, 2, 7.5, 300 })
        {
            Assert.Equal(x, Inference.TrigammaInverse(Inference.Trigamma(x)), x * 1e-9);
        }
    }

    [Fact]
    public void Variance_prior_recovers_the_degrees_of_freedom_and_scale_the_variances_were_drawn_with()
    {
        // Smyth (2004)'s model: σᵢ² = s₀²·d₀/χ²(d₀) with d₀ = 20, s₀² = 1.5, and sᵢ² = σᵢ²·χ²(12)/12.
        var random = new Random(12);
        var prior = new ChiSquared(20, random);
        var sample = new ChiSquared(12, random);
        var ratios = Enumerable.Range(0, 4000).Select(_ => 1.5 * 20 / prior.Sample() * sample.Sample() / 12).ToArray();
        var (d0, s0) = Inference.VariancePrior(ratios, [.. ratios.Select(_ => 12.0)])!.Value;
        Assert.InRange(d0, 16, 25);
        Assert.InRange(s0, 1.45, 1.55);

        // Every series with the same variance: the log variances spread no more than sampling makes
        // them (to within the estimate's noise), so the prior's degrees of freedom are infinite or huge.
        var same = Enumerable.Range(0, 4000).Select(_ => 1.5 * sample.Sample() / 12).ToArray();
        var (sameDf, sameScale) = Inference.VariancePrior(same, [.. same.Select(_ => 12.0)])!.Value;
        Assert.True(sameDf > 200, $"d₀ = {sameDf}");
        Assert.InRange(sameScale, 1.45, 1.55);

        // Fewer than three series: no prior.
        Assert.Null(Inference.VariancePrior([1.0, 2.0], [12.0, 12.0]));
    }
}
