namespace ServiceRequests.Metrics;

/// <summary>
/// The Kaplan–Meier estimate of the survivor function S(t) (here: the share of issues still open
/// t days after creation) from right-censored times, with Greenwood's variance and pointwise
/// confidence intervals on the log(−log S) scale (Kalbfleisch and Prentice), and quantiles with
/// the Brookmeyer–Crowley interval (the times where the pointwise interval crosses the level).
/// </summary>
/// <remarks>
/// At a time with both closes and censorings, the censored issues count as at risk (closes come
/// first), the usual convention. Definitions and references: docs/metrics.md.
/// </remarks>
internal sealed class KaplanMeier
{
    private KaplanMeier(double[] times, int[] atRisk, int[] events, double[] survival, double[] greenwood, int count, int closed, double z)
    {
        Times = times;
        AtRisk = atRisk;
        Events = events;
        Survival = survival;
        GreenwoodSum = greenwood;
        Count = count;
        Closed = closed;
        Z = z;
    }

    /// <summary>The distinct event (close) times, ascending.</summary>
    public double[] Times { get; }

    /// <summary>Issues at risk just before each event time.</summary>
    public int[] AtRisk { get; }

    /// <summary>Events at each event time.</summary>
    public int[] Events { get; }

    /// <summary>Ŝ(t) from each event time until the next.</summary>
    public double[] Survival { get; }

    /// <summary>Greenwood's sum Σ d/(n(n − d)) up to each event time; Var(Ŝ) = Ŝ² times it.</summary>
    public double[] GreenwoodSum { get; }

    /// <summary>Issues in the estimate.</summary>
    public int Count { get; }

    /// <summary>Issues closed (events).</summary>
    public int Closed { get; }

    /// <summary>The normal quantile of the confidence level (1.96 for 95 %).</summary>
    public double Z { get; }

    /// <summary>
    /// Estimates S from the observations <paramref name="times"/> (days;
    /// negative ones are taken as 0) and whether each ended in a close (<paramref name="closed"/>)
    /// or is censored.
    /// </summary>
    public static KaplanMeier Estimate(ReadOnlySpan<double> times, ReadOnlySpan<bool> closed, double z = Inference.Z95)
    {
        var n = times.Length;
        var order = new (double Time, bool Closed)[n];
        var events = 0;
        for (var i = 0; i < n; i++)
        {
            order[i] = (Math.Max(0, times[i]), closed[i]);
            events += closed[i] ? 1 : 0;
        }
        // Ascending time; at equal times closes before censorings.
        Array.Sort(order, (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : b.Closed.CompareTo(a.Closed));
        var eventTimes = new List<double>();
        var risk = new List<int>();
        var deaths = new List<int>();
        var survival = new List<double>();
        var greenwood = new List<double>();
        var s = 1.0;
        var g = 0.0;
        var atRisk = n;
        var i0 = 0;
        while (i0 < n)
        {
            var t = order[i0].Time;
            var d = 0;
            var j = i0;
            while (j < n && order[j].Time == t)
            {
                d += order[j].Closed ? 1 : 0;
                j++;
            }
            if (d > 0)
            {
                s *= 1 - (double)d / atRisk;
                g += atRisk == d ? double.PositiveInfinity : (double)d / ((double)atRisk * (atRisk - d));
                eventTimes.Add(t);
                risk.Add(atRisk);
                deaths.Add(d);
                survival.Add(s);
                greenwood.Add(g);
            }
            atRisk -= j - i0;
            i0 = j;
        }
        return new KaplanMeier([.. eventTimes], [.. risk], [.. deaths], [.. survival], [.. greenwood], n, events, z);
    }

    /// <summary>Ŝ(<paramref name="t"/>): the share still open at <paramref name="t"/> days (1 before the first close).</summary>
    public double SurvivalAt(double t)
    {
        var index = Array.BinarySearch(Times, t);
        index = index >= 0 ? index : ~index - 1;
        return index < 0 ? 1 : Survival[index];
    }

    /// <summary>Greenwood's standard error of Ŝ at the <paramref name="step"/>-th event time.</summary>
    public double StandardError(int step) => Survival[step] * Math.Sqrt(GreenwoodSum[step]);

    /// <summary>
    /// The pointwise interval of S at the <paramref name="step"/>-th event time on the
    /// log(−log) scale: Ŝ^exp(±z·σ/ln Ŝ) with σ² the Greenwood sum; undefined (NaN) once Ŝ is 0,
    /// as in R's survfit.
    /// </summary>
    public (double Low, double High) Interval(int step)
    {
        var s = Survival[step];
        if (s <= 0 || double.IsInfinity(GreenwoodSum[step]))
        {
            return (double.NaN, double.NaN);
        }
        if (s >= 1)
        {
            return (1, 1);
        }
        var se = Math.Sqrt(GreenwoodSum[step]) / Math.Abs(Math.Log(s));
        return (Math.Pow(s, Math.Exp(Z * se)), Math.Pow(s, Math.Exp(-Z * se)));
    }

    /// <summary>
    /// The time by which a share <paramref name="p"/> has closed (0.5: the median, 0.9: the 90th
    /// percentile): the first event time with Ŝ ≤ 1 − p, or null when Ŝ never gets there ("not
    /// reached"). The interval (Brookmeyer and Crowley) runs from the first event time at which the
    /// pointwise lower bound of S reaches 1 − p to the first at which the upper bound does; an end
    /// that is never reached is null (unbounded).
    /// </summary>
    public (double? Estimate, double? Low, double? High) Quantile(double p)
    {
        var level = 1 - p + 1e-12;
        double? estimate = null, low = null, high = null;
        for (var k = 0; k < Times.Length && high is null; k++)
        {
            var (lower, upper) = Interval(k);
            if (estimate is null && Survival[k] <= level)
            {
                estimate = Times[k];
            }
            if (low is null && lower <= level)
            {
                low = Times[k];
            }
            if (upper <= level)
            {
                high = Times[k];
            }
        }
        return (estimate, low, high);
    }
}
