namespace ServiceRequests.Metrics;

/// <summary>
/// The tests behind <see cref="IssueMetrics.Changes"/> for one latest complete week L and a window
/// of W weeks (<see cref="MetricOptions.RollingWeeks"/>): the window [L − W + 1, L] as one unit
/// (<see cref="Window"/>) and the week L alone (<see cref="Week"/>), each against the baseline of the
/// 3W weeks before the window, [L − 4W + 1, L − W], which never overlaps what is tested, so a change
/// that began inside the window is never part of its own baseline. Whether a row is tested is decided
/// from the baseline alone. Counts are in <c>ChangeTest.Counts.cs</c>; the share closed within SLA and
/// the time to close, tested on creation-week cohorts that are final, in <c>ChangeTest.Outcomes.cs</c>.
/// </summary>
internal sealed partial class ChangeTest
{
    /// <summary>The <c>test</c> of rows that test the latest weeks as one unit.</summary>
    public const string Window = "window";

    /// <summary>The <c>test</c> of rows that test the latest week alone.</summary>
    public const string Week = "week";

    /// <summary>The baseline is this many times the window.</summary>
    private const int BaselineFactor = 3;

    private readonly IssueColumns _columns;
    private readonly RequestTypeIndex _types;
    private readonly WeekCalendar _calendar;
    private readonly DateTime _asOf;
    private readonly Func<int, double, DateTime> _finalAt;
    private readonly int _latest;
    private readonly int _window;
    private readonly int _baseline;
    private readonly int _minimum;
    private readonly int _dataStart;
    private readonly int _firstWeek;
    private readonly int _weeks;
    private readonly List<int>[] _byRowWeek;

    /// <param name="columns">The issues.</param>
    /// <param name="types">The request-type rows.</param>
    /// <param name="calendar">The weeks.</param>
    /// <param name="options">The window (<see cref="MetricOptions.RollingWeeks"/>) and the minimum volume.</param>
    /// <param name="latest">The index of the latest week tested.</param>
    /// <param name="finalAt">When the cohort of a week becomes final for a limit of so many days.</param>
    public ChangeTest(IssueColumns columns, RequestTypeIndex types, WeekCalendar calendar, MetricOptions options, int latest, Func<int, double, DateTime> finalAt)
    {
        _columns = columns;
        _types = types;
        _calendar = calendar;
        _asOf = columns.AsOf;
        _finalAt = finalAt;
        _latest = latest;
        _window = options.RollingWeeks;
        _baseline = BaselineFactor * _window;
        _minimum = options.MinimumVolume;
        _dataStart = columns.Count == 0 ? latest : calendar.WeekIndex(columns.FirstDay);
        _firstWeek = Math.Min(_dataStart, latest) - 1;
        _weeks = latest - _firstWeek + 1;
        _byRowWeek = new List<int>[types.Titles.Length * _weeks];
        for (var k = 0; k < _byRowWeek.Length; k++)
        {
            _byRowWeek[k] = [];
        }
        for (var i = 0; i < columns.Count; i++)
        {
            var w = calendar.WeekIndex(columns.Day[i]) - _firstWeek;
            if (w >= 0 && w < _weeks)
            {
                _byRowWeek[types.RowOfType[columns.Type[i]] * _weeks + w].Add(i);
            }
        }
    }

    /// <summary>Weeks of data a window of <paramref name="window"/> weeks needs up to the latest week: the window and its baseline.</summary>
    public static int WeeksNeeded(int window) => window * (1 + BaselineFactor);

    /// <summary>The tests made: the window and the week, or the week alone for a window of one week.</summary>
    public string[] Tests => _window > 1 ? [Window, Week] : [Week];

    private int Rows => _types.Titles.Length;

    /// <summary>Weeks a test of <paramref name="test"/> covers.</summary>
    private int Length(string test) => test == Window ? _window : 1;

    private List<int> Issues(int row, int week) => week < _firstWeek || week > _latest ? [] : _byRowWeek[row * _weeks + week - _firstWeek];

    /// <summary>The types of a row: itself, or every type for all types (-1).</summary>
    private int[] TypesOf(int row) => row >= 0 ? [row] : [.. Enumerable.Range(0, Rows)];

    /// <summary>The baseline of a window ending with week <paramref name="end"/>: the weeks before the window, those in the data.</summary>
    private int[] BaselineWeeks(int end) => [.. Enumerable.Range(end - _window - _baseline + 1, _baseline).Where(w => w >= _dataStart)];

    private string Date(int week) => WeekCalendar.Date(_calendar.WeekFirstDay(week)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The first changed week of a window, by the change-point estimate for a shift that lasts to the
    /// window's end: with each week's score Uₖ (observed − expected) and its variance Vₖ, the start s that
    /// maximises (Σₖ≥ₛ Uₖ)² / Σₖ≥ₛ Vₖ (the likelihood ratio of a mean shift from s on; the earliest on a tie).
    /// </summary>
    private static int? ChangeStart(int firstWeek, (double Score, double Variance)[] weeks)
    {
        int? best = null;
        var bestValue = double.NegativeInfinity;
        double score = 0, variance = 0;
        for (var k = weeks.Length - 1; k >= 0; k--)
        {
            score += weeks[k].Score;
            variance += weeks[k].Variance;
            if (variance > 0 && score * score / variance >= bestValue)
            {
                bestValue = score * score / variance;
                best = firstWeek + k;
            }
        }
        return best;
    }

    /// <summary>
    /// The 95 % interval of a difference θ₁ − θ₀ from the intervals of each (the MOVER method, Zou and
    /// Donner 2008; with Wilson intervals it is Newcombe's interval for two proportions), each half-width
    /// widened by √<paramref name="inflation"/>; null when a part is missing.
    /// </summary>
    private static (double? Low, double? High) Difference(double? value, double? low, double? high, double? baseline, double? baselineLow, double? baselineHigh, double inflation = 1)
    {
        if (value is not { } v || low is not { } l1 || high is not { } u1 || baseline is not { } b || baselineLow is not { } l0 || baselineHigh is not { } u0)
        {
            return (null, null);
        }
        var s = Math.Sqrt(inflation);
        var d = v - b;
        return (d - s * Math.Sqrt(Math.Pow(v - l1, 2) + Math.Pow(u0 - b, 2)), d + s * Math.Sqrt(Math.Pow(u1 - v, 2) + Math.Pow(b - l0, 2)));
    }
}
