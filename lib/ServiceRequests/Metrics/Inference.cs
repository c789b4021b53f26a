using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace ServiceRequests.Metrics;

/// <summary>
/// The small statistical tools behind the censoring-aware tables and the change flags: Wilson
/// intervals, two-sided p-values, the Benjamini–Hochberg adjustment and two-sample rank tests for
/// censored times (log-rank, Peto–Peto). Definitions and references in docs/metrics.md; distribution functions from Math.NET.
/// </summary>
internal static class Inference
{
    /// <summary>The standard normal quantile of a two-sided 95 % interval, Φ⁻¹(0.975).</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>
    /// The Wilson score interval of a proportion <paramref name="successes"/>/<paramref name="n"/>
    /// at normal quantile <paramref name="z"/>: (p + z²/2n ± z·√(p(1 − p)/n + z²/4n²)) / (1 + z²/n);
    /// null when <paramref name="n"/> is 0.
    /// </summary>
    public static (double Low, double High)? Wilson(int successes, int n, double z = Z95)
    {
        if (n <= 0)
        {
            return null;
        }
        var p = (double)successes / n;
        var z2 = z * z;
        var denominator = 1 + z2 / n;
        var centre = (p + z2 / (2.0 * n)) / denominator;
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>The two-sided p-value of a standard normal statistic.</summary>
    public static double NormalP(double z) => double.IsNaN(z) ? 1 : 2 * Normal.CDF(0, 1, -Math.Abs(z));

    /// <summary>The two-sided p-value of a Student t statistic with <paramref name="df"/> degrees of freedom (normal when infinite).</summary>
    public static double StudentP(double t, double df) =>
        double.IsNaN(t) ? 1 : double.IsPositiveInfinity(df) ? NormalP(t) : 2 * StudentT.CDF(0, 1, df, -Math.Abs(t));

    /// <summary>
    /// The two-sided mid-p-value of a count <paramref name="observed"/> under a negative binomial with
    /// <paramref name="mean"/> and <paramref name="variance"/> (Poisson when the variance is not above the
    /// mean), carried over to Student t with <paramref name="df"/> degrees of freedom for the uncertainty of
    /// the variance estimate: the count's normal score z = Φ⁻¹(1 − p/2), then the t p-value of z. Weekly
    /// counts are skewed: a normal approximation of their upper tail flags the overdispersed types' large
    /// weeks too often (docs/metrics.md).
    /// </summary>
    public static double CountP(int observed, double mean, double variance, double df)
    {
        if (mean <= 0)
        {
            return observed == 0 ? 1 : 0;
        }
        double Cdf(int k) => k < 0 ? 0 : variance > mean * (1 + 1e-9)
            ? NegativeBinomial.CDF(mean * mean / (variance - mean), mean / variance, k)
            : Poisson.CDF(mean, k);
        var below = Cdf(observed - 1);
        var at = Cdf(observed) - below;
        var lower = below + at / 2;
        var p = Math.Min(1, 2 * Math.Min(lower, 1 - lower));
        if (double.IsPositiveInfinity(df) || p >= 1)
        {
            return p;
        }
        var z = p <= 0 ? 40 : Normal.InvCDF(0, 1, 1 - p / 2);
        return StudentP(z, df);
    }

    /// <summary>The two-sided <paramref name="confidence"/> quantile of Student t (normal when <paramref name="df"/> is infinite).</summary>
    public static double StudentQuantile(double df, double confidence = 0.95) =>
        double.IsPositiveInfinity(df) ? Normal.InvCDF(0, 1, (1 + confidence) / 2) : StudentT.InvCDF(0, 1, df, (1 + confidence) / 2);

    /// <summary>
    /// Benjamini–Hochberg adjusted p-values (q-values): with the m p-values sorted ascending,
    /// q₍ᵢ₎ = min over k ≥ i of p₍ₖ₎·m/k, capped at 1. Null entries are not tests and stay null.
    /// </summary>
    public static double?[] BenjaminiHochberg(IReadOnlyList<double?> pValues)
    {
        var tested = Enumerable.Range(0, pValues.Count).Where(i => pValues[i] is not null).OrderBy(i => pValues[i]!.Value).ToArray();
        var result = new double?[pValues.Count];
        var m = tested.Length;
        var running = 1.0;
        for (var rank = m; rank >= 1; rank--)
        {
            var index = tested[rank - 1];
            running = Math.Min(running, pValues[index]!.Value * m / rank);
            result[index] = running;
        }
        return result;
    }

    /// <summary>
    /// The prior of an empirical-Bayes moderation of variance estimates (Smyth 2004, limma's
    /// <c>squeezeVar</c>): given per-series variance ratios <paramref name="ratios"/> sᵢ² with
    /// <paramref name="df"/> dᵢ degrees of freedom (each sᵢ² ~ σᵢ²χ²(dᵢ)/dᵢ, σᵢ² ~ s₀²·d₀/χ²(d₀)),
    /// the prior degrees of freedom d₀ and scale s₀² by the method of moments on log sᵢ²:
    /// eᵢ = log sᵢ² − ψ(dᵢ/2) + log(dᵢ/2), ψ′(d₀/2) = var(e) − mean ψ′(dᵢ/2), s₀² = exp(ē + ψ(d₀/2) − log(d₀/2)).
    /// d₀ is infinite (every series has the prior's variance) when the sᵢ² vary no more than sampling
    /// alone makes them; null with fewer than three series. The moderated ratio of series i is
    /// (d₀s₀² + dᵢsᵢ²)/(d₀ + dᵢ), with d₀ + dᵢ degrees of freedom.
    /// </summary>
    public static (double PriorDf, double PriorScale)? VariancePrior(IReadOnlyList<double> ratios, IReadOnlyList<double> df)
    {
        var used = Enumerable.Range(0, ratios.Count).Where(i => ratios[i] > 0 && df[i] > 0).ToArray();
        if (used.Length < 3)
        {
            return null;
        }
        var e = used.Select(i => Math.Log(ratios[i]) - SpecialFunctions.DiGamma(df[i] / 2) + Math.Log(df[i] / 2)).ToArray();
        var mean = e.Average();
        var spread = e.Sum(x => (x - mean) * (x - mean)) / (e.Length - 1) - used.Average(i => Trigamma(df[i] / 2));
        if (spread <= 0)
        {
            return (double.PositiveInfinity, Math.Exp(mean));
        }
        var priorDf = 2 * TrigammaInverse(spread);
        return (priorDf, Math.Exp(mean + SpecialFunctions.DiGamma(priorDf / 2) - Math.Log(priorDf / 2)));
    }

    /// <summary>
    /// A series' variance ratio <paramref name="own"/> (with <paramref name="ownDf"/> degrees of freedom) moderated
    /// by the <paramref name="prior"/> of <see cref="VariancePrior"/>: (d₀s₀² + dᵢsᵢ²)/(d₀ + dᵢ) with d₀ + dᵢ degrees
    /// of freedom; with d₀ infinite, the prior's scale with <paramref name="infiniteDf"/>.
    /// </summary>
    public static (double Ratio, double Df) Moderate((double PriorDf, double PriorScale) prior, double own, double ownDf, double infiniteDf) =>
        double.IsPositiveInfinity(prior.PriorDf)
            ? (prior.PriorScale, infiniteDf)
            : ((prior.PriorDf * prior.PriorScale + ownDf * own) / (prior.PriorDf + ownDf), prior.PriorDf + ownDf);

    /// <summary>The trigamma function ψ′(x) for x &gt; 0: recurrence to x ≥ 10, then its asymptotic series (Bernoulli numbers to B₁₀; error below 10⁻¹³).</summary>
    public static double Trigamma(double x)
    {
        double sum = 0;
        while (x < 10)
        {
            sum += 1 / (x * x);
            x++;
        }
        var x2 = 1 / (x * x);
        return sum + 1 / x + x2 / 2 + x2 / x * (1.0 / 6 - x2 * (1.0 / 30 - x2 * (1.0 / 42 - x2 * (1.0 / 30 - x2 * 5 / 66))));
    }

    /// <summary>The x &gt; 0 with ψ′(x) = <paramref name="y"/> &gt; 0 (ψ′ decreases from ∞ to 0): bisection on log x.</summary>
    public static double TrigammaInverse(double y)
    {
        double low = -30, high = 30;
        for (var i = 0; i < 200 && high - low > 1e-12; i++)
        {
            var mid = (low + high) / 2;
            (low, high) = Trigamma(Math.Exp(mid)) > y ? (mid, high) : (low, mid);
        }
        return Math.Exp((low + high) / 2);
    }

    /// <summary>
    /// The two-sample Peto–Peto (Prentice) rank statistic of group 1 against group 0 within one
    /// stratum: over the distinct close times t, U = Σ w(t)·(d₁ − d·n₁/n) and
    /// V = Σ w(t)²·d·(n₁/n)(1 − n₁/n)(n − d)/(n − 1), with w(t) the Kaplan–Meier estimate of the
    /// pooled sample just before t (R's <c>survdiff(rho = 1)</c>; <paramref name="rho"/> = 0 gives
    /// the log-rank test). Add the parts of several strata for a stratified test; the statistic is U/√V.
    /// </summary>
    /// <remarks>
    /// Peto–Peto weighs early closes more than the log-rank test, which suits time-to-close
    /// distributions that stretch (log-normal-like) rather than have proportional hazards: on
    /// log-normal times doubled, it had about 1.25 times the log-rank z (docs/metrics.md).
    /// </remarks>
    public static (double Score, double Variance) RankTest(ReadOnlySpan<double> times, ReadOnlySpan<bool> closed, ReadOnlySpan<bool> inGroup1, double rho = 1)
    {
        var n = times.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }
        var t = times.ToArray();
        Array.Sort(order, (a, b) => Math.Max(0, t[a]).CompareTo(Math.Max(0, t[b])));
        var atRisk = n;
        var atRisk1 = 0;
        for (var i = 0; i < n; i++)
        {
            atRisk1 += inGroup1[i] ? 1 : 0;
        }
        double score = 0, variance = 0, pooled = 1;
        var k = 0;
        while (k < n)
        {
            var time = Math.Max(0, t[order[k]]);
            int d = 0, d1 = 0, leaving = 0, leaving1 = 0;
            var j = k;
            while (j < n && Math.Max(0, t[order[j]]) == time)
            {
                var row = order[j];
                if (closed[row])
                {
                    d++;
                    d1 += inGroup1[row] ? 1 : 0;
                }
                leaving++;
                leaving1 += inGroup1[row] ? 1 : 0;
                j++;
            }
            if (d > 0 && atRisk > 0)
            {
                var w = Math.Pow(pooled, rho);
                var share = (double)atRisk1 / atRisk;
                score += w * (d1 - d * share);
                if (atRisk > 1)
                {
                    variance += w * w * d * share * (1 - share) * (atRisk - d) / (atRisk - 1);
                }
                pooled *= 1 - (double)d / atRisk;
            }
            atRisk -= leaving;
            atRisk1 -= leaving1;
            k = j;
        }
        return (score, variance);
    }
}
