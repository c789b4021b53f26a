using System.Globalization;

namespace ServiceRequests.Metrics;

/// <summary>The count tests of <see cref="ChangeTest"/>: issues opened in the window, or the week, against the baseline's weekly mean.</summary>
internal sealed partial class ChangeTest
{
    /// <summary>At most this many earlier positions calibrate a count test (half a year).</summary>
    private const int CalibrationPositions = 52;

    /// <summary>
    /// Issues opened in the tested weeks (n of them) against n × the baseline's weekly mean μ̂, for every
    /// test. The prediction's variance is modelled as r·(P + αₙX) with P = nμ̂(1 + n/B) (Poisson: the
    /// weeks' and the baseline mean's) and X = nμ̂²(1 + n/B) (the negative binomial's extra part), and
    /// calibrated on the errors of the very same predictions at up to <see cref="CalibrationPositions"/>
    /// earlier positions, all before the window (the tested weeks never calibrate their own test): each
    /// type's ratio r from its single-week errors (one degree of freedom a position), moderated toward
    /// every type's (empirical Bayes, Smyth 2004); αₙ by the method of moments over every tested type's
    /// errors of n-week sums, so that a seasonal turn or a trend that moved the earlier predictions widens
    /// the expected range by as much. The p-value is the negative binomial's of that mean and variance
    /// (counts are skewed), carried over to Student t for the uncertainty of r. With fewer than two earlier
    /// positions in the data, the weeks of the baseline calibrate r and a per-week α instead.
    /// </summary>
    public IEnumerable<ChangeRow> Volume()
    {
        var counts = new int[Rows + 1][];
        counts[Rows] = new int[_weeks];
        for (var row = 0; row < Rows; row++)
        {
            counts[row] = new int[_weeks];
            for (var w = 0; w < _weeks; w++)
            {
                counts[row][w] = _byRowWeek[row * _weeks + w].Count;
                counts[Rows][w] += counts[row][w];
            }
        }
        int Count(int row, int week) => week < _firstWeek || week > _latest ? 0 : counts[row][week - _firstWeek];
        int Sum(int row, int end, int n) => Enumerable.Range(end - n + 1, n).Sum(w => Count(row, w));
        double Mean(int row, int end) => BaselineWeeks(end) is { Length: > 0 } weeks ? weeks.Average(w => Count(row, w)) : 0;
        (double Poisson, double Extra) Parts(double mu, int n) => (n * Math.Max(mu, 1.0 / _baseline) * (1 + (double)n / _baseline), n * mu * mu * (1 + (double)n / _baseline));
        double Error(int row, int e, int n) => Sum(row, e, n) - n * Mean(row, e);

        var baseline = BaselineWeeks(_latest);
        var complete = baseline.Length == _baseline;
        // Selection from the baseline alone: the tested weeks must expect the minimum volume.
        bool Tested(int row, int n) => complete && Mean(row, _latest) * n >= _minimum;
        var tested = Enumerable.Range(0, Rows).Where(row => Tested(row, 1) || Tested(row, _window)).ToArray();
        // Earlier positions: the same predictions ending at e = L − W − j, each with its own baseline, all in the data.
        var positions = Enumerable.Range(0, CalibrationPositions).Select(j => _latest - _window - j)
            .Where(e => e - _window - _baseline + 1 >= _dataStart).ToArray();
        var calibrated = positions.Length >= 2;

        // The per-week α and each type's ratio to it: from single-week errors, or the baseline's weeks about their mean.
        double Alpha(Func<int, IEnumerable<(double Error2, double Poisson, double Extra)>> parts)
        {
            double excess = 0, squares = 0;
            foreach (var row in tested)
            {
                foreach (var (error2, poisson, extra) in parts(row))
                {
                    excess += error2 - poisson;
                    squares += extra;
                }
            }
            return squares > 0 ? Math.Max(0, excess / squares) : 0;
        }
        IEnumerable<(double, double, double)> WeekParts(int row)
        {
            if (calibrated)
            {
                return positions.Select(e => (Math.Pow(Error(row, e, 1), 2), Parts(Mean(row, e), 1).Poisson, Parts(Mean(row, e), 1).Extra));
            }
            var mu = Mean(row, _latest);
            var keep = 1 - 1.0 / baseline.Length;
            return baseline.Select(w => (Math.Pow(Count(row, w) - mu, 2), Math.Max(mu, 1.0 / _baseline) * keep, mu * mu * keep));
        }
        var weekAlpha = Alpha(WeekParts);
        double Ratio(int row)
        {
            var parts = WeekParts(row).ToList();
            return parts.Count == 0 ? 1 : parts.Average(p => p.Item1 / Math.Max(p.Item2 + weekAlpha * p.Item3, 1e-9));
        }
        var ownDf = calibrated ? positions.Length : baseline.Length - 1.0;
        var prior = Inference.VariancePrior([.. tested.Select(Ratio)], [.. tested.Select(_ => ownDf)]);
        var pooledDf = tested.Length * ownDf;
        (double Ratio, double Df) Moderated(int row) => prior is var (d0, s0)
            ? (double.IsPositiveInfinity(d0) ? s0 : (d0 * s0 + ownDf * Ratio(row)) / (d0 + ownDf), double.IsPositiveInfinity(d0) ? pooledDf : d0 + ownDf)
            : (1, weekAlpha > 0 ? pooledDf : double.PositiveInfinity);
        var moderated = Enumerable.Range(0, Rows + 1).Select(Moderated).ToArray();

        foreach (var test in Tests)
        {
            var n = Length(test);
            // αₙ of n-week sums, each type's errors scaled by its own ratio; per-week errors are independent without earlier positions.
            var alpha = !calibrated || n == 1 ? weekAlpha : Alpha(row => positions.Select(e =>
            {
                var (poisson, extra) = Parts(Mean(row, e), n);
                return (Math.Pow(Error(row, e, n), 2) / moderated[row].Ratio, poisson, extra);
            }));
            foreach (var row in TestRows(test, n, alpha))
            {
                yield return row;
            }
        }

        IEnumerable<ChangeRow> TestRows(string test, int n, double alpha)
        {
            var first = _latest - n + 1;
            var unit = n == 1 ? $"week of {Date(first)}" : $"{n} weeks from {Date(first)}";
            for (var row = -1; row < Rows; row++)
            {
                var r = row < 0 ? Rows : row;
                var observed = Sum(r, _latest, n);
                var perWeek = (double)observed / n;
                var mu = Mean(r, _latest);
                var result = new ChangeRow(row, IssueMetrics.IssuesOpened, test, first, _latest, observed, "") { Value = perWeek };
                if (!complete)
                {
                    yield return result with { Evidence = $"{observed} issues in the {unit}; the {_baseline} weeks before them are not all in the data", NotTested = "no baseline" };
                    continue;
                }
                if (!Tested(r, n))
                {
                    yield return result with
                    {
                        Baseline = mu,
                        Evidence = string.Create(CultureInfo.InvariantCulture, $"{mu:0.#} a week in the {_baseline} weeks before: fewer than {_minimum} expected in the {unit}"),
                        NotTested = "too few",
                    };
                    continue;
                }
                var (ratio, df) = moderated[r];
                var (poisson, extra) = Parts(mu, n);
                var sd = Math.Sqrt((poisson + alpha * extra) * ratio);
                var t = (observed - n * mu) / sd;
                var half = Inference.StudentQuantile(df) * sd / n;
                var (low, high) = (Math.Max(0, mu - half), mu + half);
                var perWeekText = n == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" ({perWeek:0.#} a week)");
                yield return result with
                {
                    Baseline = mu,
                    BaselineLow = low,
                    BaselineHigh = high,
                    ChangeLow = perWeek - mu - half,
                    ChangeHigh = perWeek - mu + half,
                    ChangeStart = test == Window ? ChangeStart(first, [.. Enumerable.Range(first, n).Select(w => (Count(r, w) - mu, 1.0))]) : null,
                    P = Inference.CountP(observed, n * mu, sd * sd, df),
                    Statistic = t,
                    Evidence = string.Create(CultureInfo.InvariantCulture,
                        $"{observed} issues in the {unit}{perWeekText} against {mu:0.#} a week in the {_baseline} weeks before; {low:0.#}–{high:0.#} a week expected (95 %, z = {t:0.#}, dispersion α = {alpha:0.###}, variance × {ratio:0.##}, {(calibrated ? $"calibrated on {positions.Length} earlier positions" : "from the baseline's weeks")})"),
                };
            }
        }
    }
}
