using System.Globalization;

namespace ServiceRequests.Metrics;

/// <summary>The count tests of <see cref="ChangeTest"/>: issues opened in the window, or the week, against the baseline's weekly mean.</summary>
internal sealed partial class ChangeTest
{
    /// <summary>At most this many earlier positions calibrate a count test (a year).</summary>
    private const int CalibrationPositions = 52;

    /// <summary>Weeks back to the same weeks a year earlier (weekdays line up).</summary>
    private const int YearWeeks = 52;

    /// <summary>Issues added to each side of a seasonal factor, so that a few issues a year earlier do not swing it.</summary>
    private const double SeasonPrior = 10;

    /// <summary>Earlier positions with a year before them needed to choose between the seasonal and the plain prediction.</summary>
    private const int MinimumSeasonPositions = 8;

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
        // Holiday weeks (New Year's Day, July 4, Thanksgiving, Christmas) expect h times an ordinary week, h from the
        // holiday weeks before the window against the ordinary weeks around them, every type together.
        var holiday = HolidayFactor(w => Count(Rows, w));
        double Weight(int week) => IsHoliday(week) ? holiday : 1;
        double Weights(int end, int n) => Enumerable.Range(end - n + 1, n).Sum(Weight);
        double Mean(int row, int end) => BaselineWeeks(end) is { Length: > 0 } weeks ? weeks.Average(w => Count(row, w) / Weight(w)) : 0;
        // The season from a year earlier (52 weeks, so weekdays and most holidays line up): the same weeks'
        // issues over their own baseline's, with a pseudo-count of SeasonPrior issues on each side.
        bool YearAgo(int e) => e - YearWeeks - _window - _baseline + 1 >= _dataStart;
        (double Factor, double Noise) Season(int row, int e, int n)
        {
            var tested = Enumerable.Range(e - YearWeeks - n + 1, n).Sum(w => Count(row, w) / Weight(w)) + SeasonPrior;
            var before = n * Mean(row, e - YearWeeks) + SeasonPrior;
            return (tested / before, 1 / tested + 1 / (before * _baseline / n));
        }
        var seasonal = false;
        // The expected issues of an ordinary week, and of the n weeks ending with week e.
        double Level(int row, int e, int n) => Mean(row, e) * (seasonal ? Season(row, e, n).Factor : 1);
        double Expected(int row, int e, int n) => Level(row, e, n) * Weights(e, n);
        (double Poisson, double Extra) Parts(int row, int e, int n)
        {
            var total = Expected(row, e, n);
            var poisson = Math.Max(total, (double)n / _baseline) * (1 + (double)n / _baseline);
            return (seasonal ? poisson + total * total * Season(row, e, n).Noise : poisson, total * total / n * (1 + (double)n / _baseline));
        }
        double Error(int row, int e, int n) => Sum(row, e, n) - Expected(row, e, n);

        var baseline = BaselineWeeks(_latest);
        var complete = baseline.Length == _baseline;
        // Selection from the baseline alone: the tested weeks must expect the minimum volume.
        bool Tested(int row, int n) => complete && Mean(row, _latest) * n >= _minimum;
        var tested = Enumerable.Range(0, Rows).Where(row => Tested(row, 1) || Tested(row, _window)).ToArray();
        // Earlier positions: the same predictions ending at e = L − W − j, each with its own baseline, all in the data.
        var positions = Enumerable.Range(0, CalibrationPositions).Select(j => _latest - _window - j)
            .Where(e => e - _window - _baseline + 1 >= _dataStart).ToArray();
        // With a year of data before the baseline, the seasonal prediction is used when it missed less than
        // the plain one at the earlier positions that have a year before them (tested types' window errors,
        // each over its expected count): a choice made from the data before the window alone.
        var yearPositions = positions.Where(YearAgo).ToArray();
        if (YearAgo(_latest) && yearPositions.Length >= MinimumSeasonPositions && tested.Length > 0)
        {
            double Missed() => tested.Sum(row => yearPositions.Sum(e => Math.Pow(Error(row, e, _window), 2) / Math.Max(Expected(row, e, _window), 1)));
            var plain = Missed();
            seasonal = true;
            seasonal = Missed() < plain;
        }
        if (seasonal)
        {
            positions = yearPositions;
        }
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
                return positions.Select(e =>
                {
                    var (poisson, extra) = Parts(row, e, 1);
                    return (Math.Pow(Error(row, e, 1), 2), poisson, extra);
                });
            }
            var mu = Mean(row, _latest);
            var keep = 1 - 1.0 / baseline.Length;
            return baseline.Select(w => (Math.Pow(Count(row, w) / Weight(w) - mu, 2), Math.Max(mu, 1.0 / _baseline) * keep, mu * mu * keep));
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
        (double Ratio, double Df) Moderated(int row) => prior is { } p
            ? Inference.Moderate(p, Ratio(row), ownDf, pooledDf)
            : (1, weekAlpha > 0 ? pooledDf : double.PositiveInfinity);
        var moderated = Enumerable.Range(0, Rows + 1).Select(Moderated).ToArray();

        foreach (var test in Tests)
        {
            var n = Length(test);
            // αₙ of n-week sums, each type's errors scaled by its own ratio; per-week errors are independent without earlier positions.
            var alpha = !calibrated || n == 1 ? weekAlpha : Alpha(row => positions.Select(e =>
            {
                var (poisson, extra) = Parts(row, e, n);
                return (Math.Pow(Error(row, e, n), 2) / moderated[row].Ratio, poisson, extra);
            }));
            // For sums of several weeks, each type's own excess of its n-week errors over that model (a type whose season
            // or trend moves more than the others'), moderated toward every type's with the degrees of freedom of
            // overlapping sums (Bartlett: 1 + 2Σρₖ², ρₖ = (n − k)/n).
            var excess = new (double Ratio, double Df)[Rows + 1];
            Array.Fill(excess, (1.0, double.PositiveInfinity));
            if (calibrated && n > 1)
            {
                double Excess(int row) => positions.Average(e =>
                {
                    var (poisson, extra) = Parts(row, e, n);
                    return Math.Pow(Error(row, e, n), 2) / moderated[row].Ratio / Math.Max(poisson + alpha * extra, 1e-9);
                });
                var sumDf = positions.Length / (1 + 2 * Enumerable.Range(1, n - 1).Sum(k => Math.Pow((double)(n - k) / n, 2)));
                if (Inference.VariancePrior([.. tested.Select(Excess)], [.. tested.Select(_ => sumDf)]) is { } p)
                {
                    for (var row = 0; row <= Rows; row++)
                    {
                        excess[row] = Inference.Moderate(p, Excess(row), sumDf, double.PositiveInfinity);
                    }
                }
            }
            foreach (var row in TestRows(test, n, alpha, excess))
            {
                yield return row;
            }
        }

        IEnumerable<ChangeRow> TestRows(string test, int n, double alpha, (double Ratio, double Df)[] excess)
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
                ratio *= excess[r].Ratio;
                df = Math.Min(df, excess[r].Df);
                var (poisson, extra) = Parts(r, _latest, n);
                var level = Level(r, _latest, n);
                var expected = Expected(r, _latest, n);
                var sd = Math.Sqrt((poisson + alpha * extra) * ratio);
                var t = (observed - expected) / sd;
                var half = Inference.StudentQuantile(df) * sd / n;
                var perWeekExpected = expected / n;
                var (low, high) = (Math.Max(0, perWeekExpected - half), perWeekExpected + half);
                var perWeekText = n == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $" ({perWeek:0.#} a week)");
                var holidays = Enumerable.Range(first, n).Count(IsHoliday);
                var adjustments = (seasonal ? string.Create(CultureInfo.InvariantCulture, $" × {level / Math.Max(mu, 1e-9):0.##} for the season (the same weeks a year earlier)") : "")
                    + (holidays > 0 && holiday != 1 ? string.Create(CultureInfo.InvariantCulture, $", holiday week{(holidays == 1 ? "" : "s")} × {holiday:0.##}") : "");
                var against = adjustments.Length > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{perWeekExpected:0.#} a week expected from the {_baseline} weeks before ({mu:0.#} an ordinary week){adjustments}")
                    : string.Create(CultureInfo.InvariantCulture, $"{mu:0.#} a week in the {_baseline} weeks before");
                yield return result with
                {
                    Baseline = perWeekExpected,
                    BaselineLow = low,
                    BaselineHigh = high,
                    ChangeLow = perWeek - perWeekExpected - half,
                    ChangeHigh = perWeek - perWeekExpected + half,
                    ChangeStart = test == Window ? ChangeStart(first, [.. Enumerable.Range(first, n).Select(w => (Count(r, w) - level * Weight(w), Weight(w)))]) : null,
                    P = Inference.CountP(observed, expected, sd * sd, df),
                    Statistic = t,
                    Evidence = string.Create(CultureInfo.InvariantCulture,
                        $"{observed} issues in the {unit}{perWeekText} against {against}; {low:0.#}–{high:0.#} a week expected (95 %, z = {t:0.#}, dispersion α = {alpha:0.###}, variance × {ratio:0.##}, {(calibrated ? $"calibrated on {positions.Length} earlier positions" : "from the baseline's weeks")})"),
                };
            }
        }
    }

    /// <summary>Whether the week holds New Year's Day, July 4, Thanksgiving (the fourth Thursday of November) or Christmas Day.</summary>
    private bool IsHoliday(int week)
    {
        var first = WeekCalendar.Date(_calendar.WeekFirstDay(week));
        for (var d = 0; d < 7; d++)
        {
            var day = first.AddDays(d);
            if ((day.Month, day.Day) is (1, 1) or (7, 4) or (12, 25)
                || (day.Month == 11 && day.DayOfWeek == DayOfWeek.Thursday && day.Day is >= 22 and <= 28))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The issues of a holiday week over those of the ordinary weeks around it (up to 3 on each side), summed over the
    /// holiday weeks before the window, from the weekly totals of every type; 1 without a holiday week before the window.
    /// </summary>
    private double HolidayFactor(Func<int, int> total)
    {
        double holidays = 0, ordinary = 0;
        var last = _latest - _window;
        for (var week = _dataStart; week <= last; week++)
        {
            if (!IsHoliday(week))
            {
                continue;
            }
            var around = Enumerable.Range(week - 3, 7).Where(w => w >= _dataStart && w <= last && !IsHoliday(w)).ToList();
            if (around.Count >= 2)
            {
                holidays += total(week);
                ordinary += around.Average(w => total(w));
            }
        }
        return holidays > 0 && ordinary > 0 ? holidays / ordinary : 1;
    }
}
