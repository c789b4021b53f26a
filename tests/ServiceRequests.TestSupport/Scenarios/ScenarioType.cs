using MathNet.Numerics;

namespace ServiceRequests.TestSupport.Scenarios;

/// <summary>The size bands of the scenarios: a type's base issues a week.</summary>
internal enum VolumeBand
{
    /// <summary>5–10 issues a week.</summary>
    Small,

    /// <summary>20–39 issues a week.</summary>
    Medium,

    /// <summary>40 or more issues a week.</summary>
    Large,
}

/// <summary>
/// The truth of one generated request type: its weekly count model and its close-time model. The expected count of a
/// week is <see cref="BaseMean"/> × trend × season × holiday; the count has variance <see cref="Dispersion"/> × its mean.
/// Close times are a two-part mixture of lognormals (fast and slow), and a share is never closed.
/// </summary>
/// <param name="Title">The request type title.</param>
/// <param name="Band">The size band of <see cref="BaseMean"/>.</param>
/// <param name="BaseMean">Expected issues a week at the reference date, before season and holidays.</param>
/// <param name="Dispersion">Variance ÷ mean of a week's count: 1 is Poisson.</param>
/// <param name="TrendPerYear">Log-linear trend: the mean is multiplied by e^(trend × years from the reference date).</param>
/// <param name="SeasonAmplitude">The annual cycle multiplies the mean by 1 + amplitude × cos(2π (day of year − peak) / 365.25).</param>
/// <param name="SeasonPeakDay">Day of the year (0–364) of the seasonal peak.</param>
/// <param name="FastShare">Share of the closed issues in the fast part of the close-time mixture.</param>
/// <param name="FastMedianDays">Median days to close of the fast part.</param>
/// <param name="FastSigma">Log-scale standard deviation of the fast part.</param>
/// <param name="SlowMedianDays">Median days to close of the slow part.</param>
/// <param name="SlowSigma">Log-scale standard deviation of the slow part.</param>
/// <param name="NeverClosedShare">Share of issues never closed.</param>
/// <param name="SlaDays">The type's SLA in whole days; null when it has none.</param>
internal sealed record ScenarioType(
    string Title, VolumeBand Band, double BaseMean, double Dispersion, double TrendPerYear, double SeasonAmplitude, double SeasonPeakDay,
    double FastShare, double FastMedianDays, double FastSigma, double SlowMedianDays, double SlowSigma, double NeverClosedShare, int? SlaDays)
{
    /// <summary>Multiplier of the expected count in the weeks holding a holiday (Thanksgiving, Christmas, New Year's Day, July 4).</summary>
    public const double HolidayFactor = 0.7;

    /// <summary>The expected count of the week starting on <paramref name="weekStart"/>, with the trend measured from <paramref name="reference"/>.</summary>
    public double WeekMean(DateOnly weekStart, DateOnly reference, bool seasonal = true) =>
        BaseMean
        * Math.Exp(TrendPerYear * (weekStart.DayNumber - reference.DayNumber) / 365.25)
        * (seasonal ? 1 + SeasonAmplitude * Math.Cos(2 * Math.PI * (weekStart.AddDays(3).DayOfYear - SeasonPeakDay) / 365.25) : 1)
        * (seasonal && Holidays.InWeek(weekStart) ? HolidayFactor : 1);

    /// <summary>P(close time ≤ <paramref name="days"/>) of an issue, never-closed share included, with close times × <paramref name="scale"/>.</summary>
    public double CloseCdf(double days, double scale = 1)
    {
        if (days <= 0)
        {
            return 0;
        }
        var t = Math.Log(days / scale);
        var fast = 0.5 * SpecialFunctions.Erfc(-(t - Math.Log(FastMedianDays)) / (FastSigma * Math.Sqrt(2)));
        var slow = 0.5 * SpecialFunctions.Erfc(-(t - Math.Log(SlowMedianDays)) / (SlowSigma * Math.Sqrt(2)));
        return (1 - NeverClosedShare) * (FastShare * fast + (1 - FastShare) * slow);
    }

    /// <summary>
    /// The score of an issue closed after <paramref name="days"/> for a change of scale of the close times (× e^θ, at θ = 0):
    /// ∂/∂θ log f(t e^−θ) e^−θ = Σ wᵢ fᵢ(t) zᵢ / σᵢ ÷ Σ wᵢ fᵢ(t), with zᵢ the part's standard log-scale deviate.
    /// </summary>
    public double ClosedScaleScore(double days)
    {
        var (fast, slow) = (Density(days, FastMedianDays, FastSigma), Density(days, SlowMedianDays, SlowSigma));
        var (zFast, zSlow) = ((Math.Log(days) - Math.Log(FastMedianDays)) / FastSigma, (Math.Log(days) - Math.Log(SlowMedianDays)) / SlowSigma);
        var total = FastShare * fast + (1 - FastShare) * slow;
        return total > 0 ? (FastShare * fast * zFast / FastSigma + (1 - FastShare) * slow * zSlow / SlowSigma) / total : 0;
    }

    /// <summary>The score of an issue still open after <paramref name="days"/> for a change of scale: ∂/∂θ log S(t e^−θ) = t f(t) ÷ S(t).</summary>
    public double OpenScaleScore(double days)
    {
        var density = (1 - NeverClosedShare) * (FastShare * Density(days, FastMedianDays, FastSigma) + (1 - FastShare) * Density(days, SlowMedianDays, SlowSigma));
        return days * density / (1 - CloseCdf(days));
    }

    /// <summary>The lognormal density at <paramref name="days"/> of median <paramref name="median"/> and log-scale deviation <paramref name="sigma"/>.</summary>
    private static double Density(double days, double median, double sigma)
    {
        var z = (Math.Log(days) - Math.Log(median)) / sigma;
        return Math.Exp(-0.5 * z * z) / (days * sigma * Math.Sqrt(2 * Math.PI));
    }

    /// <summary>The true share closed within the SLA (0 when the type has none): P(close time &lt; SLA).</summary>
    public double WithinSla => SlaDays is { } sla ? CloseCdf(sla) : 0;

    /// <summary>A close time in days; infinity for a never-closed issue.</summary>
    public double DrawCloseDays(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (random.NextDouble() < NeverClosedShare)
        {
            return double.PositiveInfinity;
        }
        return random.NextDouble() < FastShare
            ? FastMedianDays * Math.Exp(FastSigma * Draws.Normal(random))
            : SlowMedianDays * Math.Exp(SlowSigma * Draws.Normal(random));
    }

    /// <summary>A close time drawn from the slow part only, for issues pushed past the SLA.</summary>
    public double DrawSlowDays(Random random) => SlowMedianDays * Math.Exp(SlowSigma * Draws.Normal(random));
}

/// <summary>The holiday weeks of the generator: the Sunday–Saturday weeks holding Thanksgiving, Christmas, New Year's Day or July 4.</summary>
internal static class Holidays
{
    /// <summary>Whether the week starting on <paramref name="weekStart"/> holds one of the holidays.</summary>
    public static bool InWeek(DateOnly weekStart)
    {
        for (var d = 0; d < 7; d++)
        {
            var day = weekStart.AddDays(d);
            if ((day.Month, day.Day) is (12, 25) or (1, 1) or (7, 4)
                || (day.Month == 11 && day.DayOfWeek == DayOfWeek.Thursday && day.Day is >= 22 and <= 28))
            {
                return true;
            }
        }
        return false;
    }
}
