using MathNet.Numerics;

namespace ServiceRequests.TestSupport.Scenarios;

/// <summary>
/// Random draws and exact probabilities for the scenario generator and its oracle, written from the
/// definitions: standard normal (Box–Muller), gamma (Marsaglia–Tsang), Poisson (products of uniforms
/// for small means, sums of gamma-spaced arrivals otherwise), negative binomial as a gamma–Poisson
/// mixture, binomial, and the negative-binomial and binomial probability functions.
/// </summary>
internal static class Draws
{
    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(Random random)
    {
        var u = 1.0 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>A gamma draw with <paramref name="shape"/> and scale 1 (Marsaglia and Tsang 2000; shape &lt; 1 through the boost U^(1/shape)).</summary>
    public static double Gamma(Random random, double shape)
    {
        if (shape < 1)
        {
            return Gamma(random, shape + 1) * Math.Pow(1.0 - random.NextDouble(), 1 / shape);
        }
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = Normal(random);
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            var u = 1.0 - random.NextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    /// <summary>A Poisson draw: products of uniforms up to a mean of 30; above, the arrivals are counted past a gamma-distributed jump.</summary>
    public static int Poisson(Random random, double mean)
    {
        var count = 0;
        while (mean > 30)
        {
            // The time of the n-th arrival of a unit-rate process is Gamma(n): jump over n arrivals at once.
            var n = (int)(mean * 0.875);
            var at = Gamma(random, n);
            if (at > mean)
            {
                // The n-th arrival is past the mean: the count is Binomial(n − 1, mean / at).
                return count + Binomial(random, n - 1, mean / at);
            }
            count += n;
            mean -= at;
        }
        var limit = Math.Exp(-mean);
        var product = random.NextDouble();
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }
        return count;
    }

    /// <summary>A binomial draw by counting successes (n is at most a few thousand here).</summary>
    public static int Binomial(Random random, int n, double p)
    {
        var successes = 0;
        for (var k = 0; k < n; k++)
        {
            if (random.NextDouble() < p)
            {
                successes++;
            }
        }
        return successes;
    }

    /// <summary>
    /// A count with <paramref name="mean"/> and variance <paramref name="ratio"/> × mean: Poisson at ratio 1, else
    /// Poisson of a gamma rate of shape mean / (ratio − 1) and scale ratio − 1 (negative binomial).
    /// </summary>
    public static int Count(Random random, double mean, double ratio) =>
        mean <= 0 ? 0 : ratio <= 1 ? Poisson(random, mean) : Poisson(random, Gamma(random, mean / (ratio - 1)) * (ratio - 1));

    /// <summary>
    /// A count with <paramref name="mean"/> and variance mean + mean² ÷ <paramref name="shape"/>: Poisson of a gamma rate of
    /// that shape (negative binomial of a fixed shape, whose variance ratio grows with the mean).
    /// </summary>
    public static int CountOfShape(Random random, double mean, double shape) =>
        mean <= 0 ? 0 : Poisson(random, Gamma(random, shape) * mean / shape);

    /// <summary>The probabilities of 0 … <paramref name="top"/> of a count drawn by <see cref="CountOfShape"/>.</summary>
    public static double[] ShapeProbabilities(double mean, double shape, int top)
    {
        var p = new double[top + 1];
        if (mean <= 0)
        {
            p[0] = 1;
            return p;
        }
        for (var k = 0; k <= top; k++)
        {
            p[k] = Math.Exp(SpecialFunctions.GammaLn(k + shape) - SpecialFunctions.GammaLn(shape) - SpecialFunctions.GammaLn(k + 1)
                            + shape * Math.Log(shape / (shape + mean)) + k * Math.Log(mean / (shape + mean)));
        }
        return p;
    }

    /// <summary>The probabilities of 0 … <paramref name="top"/> of the sum of two independent counts.</summary>
    public static double[] Convolve(double[] a, double[] b, int top)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var result = new double[top + 1];
        for (var i = 0; i < a.Length && i <= top; i++)
        {
            for (var j = 0; j < b.Length && i + j <= top; j++)
            {
                result[i + j] += a[i] * b[j];
            }
        }
        return result;
    }

    /// <summary>
    /// The probabilities of 0 … <paramref name="top"/> of a count with <paramref name="mean"/> and variance
    /// <paramref name="ratio"/> × mean (as <see cref="Count"/> draws it). Counts of one ratio add up to a count of the same
    /// ratio (negative binomials with a common p), so a sum over weeks has the sum of the means.
    /// </summary>
    public static double[] CountProbabilities(double mean, double ratio, int top)
    {
        var p = new double[top + 1];
        if (mean <= 0)
        {
            p[0] = 1;
            return p;
        }
        for (var k = 0; k <= top; k++)
        {
            double log;
            if (ratio <= 1)
            {
                log = k * Math.Log(mean) - mean - SpecialFunctions.GammaLn(k + 1);
            }
            else
            {
                var size = mean / (ratio - 1);
                var success = 1 / ratio;
                log = SpecialFunctions.GammaLn(k + size) - SpecialFunctions.GammaLn(size) - SpecialFunctions.GammaLn(k + 1)
                      + size * Math.Log(success) + k * Math.Log(1 - success);
            }
            p[k] = Math.Exp(log);
        }
        return p;
    }

    /// <summary>The probabilities of 0 … n successes of Binomial(n, p).</summary>
    public static double[] BinomialProbabilities(int n, double p)
    {
        var result = new double[n + 1];
        for (var k = 0; k <= n; k++)
        {
            result[k] = Math.Exp(SpecialFunctions.BinomialLn(n, k) + (k == 0 ? 0 : k * Math.Log(p)) + (k == n ? 0 : (n - k) * Math.Log(1 - p)));
        }
        return result;
    }

    /// <summary>
    /// The outcomes a two-sided test at level <paramref name="alpha"/> rejects, given the null probabilities: those whose lower
    /// tail P(X ≤ x) or upper tail P(X ≥ x) is at most α/2.
    /// </summary>
    public static bool[] RejectionRegion(double[] nullProbabilities, double alpha)
    {
        var n = nullProbabilities.Length;
        var reject = new bool[n];
        double lower = 0;
        for (var k = 0; k < n; k++)
        {
            lower += nullProbabilities[k];
            reject[k] = lower <= alpha / 2;
        }
        double upper = 0;
        for (var k = n - 1; k >= 0; k--)
        {
            upper += nullProbabilities[k];
            reject[k] |= upper <= alpha / 2;
        }
        return reject;
    }
}
