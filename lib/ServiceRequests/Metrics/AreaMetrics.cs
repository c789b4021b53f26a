using System.Globalization;
using CsvHelper;
using Microsoft.Data.Analysis;
using ServiceRequests.Portal;

namespace ServiceRequests.Metrics;

/// <summary>
/// Equity views per area, a council district or a neighborhood (any column of the portal-shaped
/// DataFrame): issues per 1,000 residents where a population table is given, and time to close
/// and SLA compliance adjusted for the mix of request types by direct standardisation to the
/// city's mix, so that an area is not blamed for receiving slower kinds of requests. Issues count
/// as in <see cref="IssueMetrics"/> (rows with <c>created_at</c>, in a range by their local
/// creation date, both ends inclusive; days to close in <see cref="MetricOptions.Duration"/>);
/// issues without an area form the row <see cref="ReopenDuplicateRates.NoValue"/>. Every
/// definition is in docs/metrics.md.
/// </summary>
public sealed class AreaMetrics
{
    /// <summary>The <c>{area column}</c> of the row that pools every issue, in <see cref="MixAdjusted"/>.</summary>
    public const string City = "(city)";

    private readonly IssueColumns _columns;
    private readonly int[] _areaOfRow;
    private readonly string[] _areas;
    private readonly double[] _slaOfType;
    private readonly int _minimumVolume;

    /// <summary>Reads the columns of <paramref name="issues"/> once; the tables are computed on demand.</summary>
    /// <param name="issues">Issues in the portal shape (as <see cref="IssueMetrics"/> needs them) with the area column.</param>
    /// <param name="sla">SLA days per request type.</param>
    /// <param name="areaColumn">The column naming each issue's area: <c>council_district</c> (default) or <c>neighborhood</c>.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">A column is missing or mistyped, or an option is out of range.</exception>
    public AreaMetrics(DataFrame issues, SlaTable sla, string areaColumn = PortalSchema.CouncilDistrict, MetricOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(issues);
        ArgumentNullException.ThrowIfNull(sla);
        ArgumentException.ThrowIfNullOrWhiteSpace(areaColumn);
        options ??= new MetricOptions();
        options.Validate();
        var areaIndex = issues.Columns.IndexOf(areaColumn);
        if (areaIndex < 0)
        {
            throw new ArgumentException($"The issues frame has no column '{areaColumn}' to group by.", nameof(areaColumn));
        }
        AreaColumn = areaColumn;
        _columns = IssueColumns.Read(issues, options);
        _slaOfType = [.. _columns.TypeNames.Select(t => sla.Find(t)?.SlaDays ?? double.NaN)];
        _minimumVolume = options.MinimumVolume;

        // The area of every row IssueColumns kept (those with created_at), in the same order.
        var area = issues.Columns[areaIndex];
        var created = issues[PortalSchema.CreatedAt];
        var codes = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new List<string>();
        var areaOfRow = new int[_columns.Count];
        var kept = 0;
        for (long row = 0; row < issues.Rows.Count; row++)
        {
            if (created[row] is null)
            {
                continue;
            }
            var name = AreaName(area[row]) ?? ReopenDuplicateRates.NoValue;
            if (!codes.TryGetValue(name, out var code))
            {
                code = names.Count;
                codes[name] = code;
                names.Add(name);
            }
            areaOfRow[kept++] = code;
        }
        var order = Enumerable.Range(0, names.Count).OrderBy(i => names[i], AreaOrder).ToArray();
        var rank = new int[order.Length];
        for (var k = 0; k < order.Length; k++)
        {
            rank[order[k]] = k;
        }
        _areas = [.. order.Select(i => names[i])];
        _areaOfRow = [.. areaOfRow.Select(code => rank[code])];
    }

    /// <summary>The column the issues are grouped by.</summary>
    public string AreaColumn { get; }

    /// <summary>The areas found in the data: numbers by value, then names in ordinal order, <see cref="ReopenDuplicateRates.NoValue"/> last.</summary>
    public IReadOnlyList<string> Areas => _areas;

    /// <summary>
    /// Issues per 1,000 residents over the issues created from <paramref name="from"/> to
    /// <paramref name="to"/> (null: the whole data): <c>{area column}, num_issues, population,
    /// issues_per_1000_residents</c>, one row per area of the data or of the population table
    /// (an area with residents and no issue has 0), <see cref="ReopenDuplicateRates.NoValue"/> last.
    /// Without a population table, or for an area it does not list, the last two are empty.
    /// </summary>
    /// <param name="population">Residents per area (<see cref="LoadPopulation"/>); area names match ignoring case.</param>
    /// <param name="from">First creation date, inclusive.</param>
    /// <param name="to">Last creation date, inclusive.</param>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame IssuesPerResident(IReadOnlyDictionary<string, long>? population = null, DateOnly? from = null, DateOnly? to = null)
    {
        var inRange = InRange(from, to);
        var counts = new int[_areas.Length];
        for (var i = 0; i < _columns.Count; i++)
        {
            if (inRange(i))
            {
                counts[_areaOfRow[i]]++;
            }
        }
        var residents = population is null ? null : new Dictionary<string, long>(population, StringComparer.OrdinalIgnoreCase);
        var known = new HashSet<string>(_areas, StringComparer.OrdinalIgnoreCase);
        var areas = _areas.Concat(residents?.Keys.Where(k => !known.Contains(k)) ?? []).Order(AreaOrder).ToList();
        long? People(string area) => residents is not null && area != ReopenDuplicateRates.NoValue && residents.TryGetValue(area, out var n) ? n : null;
        int Issues(string area) => Array.IndexOf(_areas, area) is var k and >= 0 ? counts[k] : 0;
        return new DataFrame(
            new StringDataFrameColumn(AreaColumn, areas),
            new Int32DataFrameColumn("num_issues", areas.Select(a => (int?)Issues(a))),
            new Int64DataFrameColumn("population", areas.Select(People)),
            new DoubleDataFrameColumn("issues_per_1000_residents", areas.Select(a => People(a) is { } n and > 0 ? Issues(a) * 1000.0 / n : (double?)null)));
    }

    /// <summary>The summaries of the range: the city, the city per type, each area, and each area per type (area × types + type).</summary>
    private (Summary City, Summary[] CityByType, Summary[] ByArea, Summary[] ByAreaType) Summaries(DateOnly? from, DateOnly? to)
    {
        var inRange = InRange(from, to);
        var types = _columns.TypeNames.Count;
        return (Summary.Of(_columns, _slaOfType, 1, i => inRange(i) ? 0 : -1)[0],
            Summary.Of(_columns, _slaOfType, types, i => inRange(i) ? _columns.Type[i] : -1),
            Summary.Of(_columns, _slaOfType, _areas.Length, i => inRange(i) ? _areaOfRow[i] : -1),
            Summary.Of(_columns, _slaOfType, _areas.Length * types, i => inRange(i) ? _areaOfRow[i] * types + _columns.Type[i] : -1));
    }

    /// <summary>
    /// Time to close and SLA compliance per area, crude and adjusted for the mix of request types,
    /// over the issues created from <paramref name="from"/> to <paramref name="to"/>. The first row,
    /// <see cref="City"/>, pools every issue; then one row per area. Columns: <c>{area column},
    /// num_issues, num_closed, median_days_to_close, mean_days_to_close</c> (crude, closed issues);
    /// <c>adjusted_mean_days_to_close</c> (the mean the area would have with the city's mix of
    /// closed issues: its mean per type weighted by the city's share of each type);
    /// <c>expected_mean_days_to_close</c> (what the city's mean per type would give with the area's
    /// own mix: above the city's mean, the area receives slower kinds of requests);
    /// <c>type_mix_coverage_pct</c> (the city's share of closed issues whose types the area has;
    /// the weights are rescaled to the types present); and the same for SLA compliance over the
    /// closed issues of types with an SLA: <c>num_closed_with_sla, perc_within_sla,
    /// adjusted_perc_within_sla, sla_mix_coverage_pct</c>.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame MixAdjusted(DateOnly? from = null, DateOnly? to = null)
    {
        var types = _columns.TypeNames.Count;
        var (city, cityByType, byArea, byAreaType) = Summaries(from, to);

        var rows = new List<(string Area, Summary Crude, double? Adjusted, double? Expected, double? Coverage, double? AdjustedSla, double? SlaCoverage)>
        {
            (City, city, city.MeanDays, city.MeanDays, city.Closed == 0 ? null : 100, city.PercWithinSla, city.ClosedWithSla == 0 ? null : 100),
        };
        for (var a = 0; a < _areas.Length; a++)
        {
            var m = Standardise(a, types, cityByType, byArea, byAreaType, typeVariance: null);
            rows.Add((_areas[a], byArea[a],
                m.TimeWeight > 0 ? m.TimeSum / m.TimeWeight : null, byArea[a].Closed > 0 ? m.Expected : null, byArea[a].Closed > 0 ? m.TimeWeight * 100.0 / city.Closed : null,
                m.SlaWeight > 0 ? m.SlaSum / m.SlaWeight : null, byArea[a].ClosedWithSla > 0 ? m.SlaWeight * 100.0 / city.ClosedWithSla : null));
        }
        return new DataFrame(
            new StringDataFrameColumn(AreaColumn, rows.Select(r => r.Area)),
            new Int32DataFrameColumn("num_issues", rows.Select(r => (int?)r.Crude.Issues)),
            new Int32DataFrameColumn("num_closed", rows.Select(r => (int?)r.Crude.Closed)),
            new DoubleDataFrameColumn("median_days_to_close", rows.Select(r => r.Crude.MedianDays)),
            new DoubleDataFrameColumn("mean_days_to_close", rows.Select(r => r.Crude.MeanDays)),
            new DoubleDataFrameColumn("adjusted_mean_days_to_close", rows.Select(r => r.Adjusted)),
            new DoubleDataFrameColumn("expected_mean_days_to_close", rows.Select(r => r.Expected)),
            new DoubleDataFrameColumn("type_mix_coverage_pct", rows.Select(r => r.Coverage)),
            new Int32DataFrameColumn("num_closed_with_sla", rows.Select(r => (int?)r.Crude.ClosedWithSla)),
            new DoubleDataFrameColumn("perc_within_sla", rows.Select(r => r.Crude.PercWithinSla)),
            new DoubleDataFrameColumn("adjusted_perc_within_sla", rows.Select(r => r.AdjustedSla)),
            new DoubleDataFrameColumn("sla_mix_coverage_pct", rows.Select(r => r.SlaCoverage)));
    }

    /// <summary>
    /// Each area against the city, adjusted for the mix of request types, over the issues created from
    /// <paramref name="from"/> to <paramref name="to"/>: one row per area (not the city), with
    /// <c>{area column}, num_closed, adjusted_mean_days_to_close, diff_mean_days_to_close</c> (the
    /// adjusted mean minus the city's mean) and its 95 % interval <c>diff_mean_days_to_close_low,
    /// diff_mean_days_to_close_high</c>; the same for SLA compliance in percentage points
    /// (<c>num_closed_with_sla, adjusted_perc_within_sla, diff_perc_within_sla,
    /// diff_perc_within_sla_low, diff_perc_within_sla_high</c>); and <c>small_area</c>, true when the
    /// area has fewer than <see cref="MetricOptions.MinimumVolume"/> closed issues. The interval is the
    /// normal approximation of the standardised mean's variance, each type's spread taken from the
    /// city (the spread if the area were like the city): an interval that holds 0 is a difference
    /// the data cannot tell from chance.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="from"/> is after <paramref name="to"/>.</exception>
    public DataFrame DifferenceFromCity(DateOnly? from = null, DateOnly? to = null)
    {
        var types = _columns.TypeNames.Count;
        var (city, cityByType, byArea, byAreaType) = Summaries(from, to);
        var typeVariance = cityByType.Select(c => Variance(c.ClosedDays)).ToArray();

        var names = new List<string>();
        var closed = new List<int?>();
        var closedSla = new List<int?>();
        var small = new List<bool>();
        var days = new List<(double? Adjusted, double? Diff, double? Low, double? High)>();
        var shares = new List<(double? Adjusted, double? Diff, double? Low, double? High)>();
        for (var a = 0; a < _areas.Length; a++)
        {
            var m = Standardise(a, types, cityByType, byArea, byAreaType, typeVariance);
            names.Add(_areas[a]);
            closed.Add(byArea[a].Closed);
            closedSla.Add(byArea[a].ClosedWithSla);
            small.Add(byArea[a].Closed < _minimumVolume);
            days.Add(Difference(m.TimeWeight, m.TimeSum, m.TimeVar, city.MeanDays));
            shares.Add(Difference(m.SlaWeight, m.SlaSum, m.SlaVar, city.PercWithinSla));
        }
        return new DataFrame(
            new StringDataFrameColumn(AreaColumn, names),
            new Int32DataFrameColumn("num_closed", closed),
            new DoubleDataFrameColumn("adjusted_mean_days_to_close", days.Select(d => d.Adjusted)),
            new DoubleDataFrameColumn("diff_mean_days_to_close", days.Select(d => d.Diff)),
            new DoubleDataFrameColumn("diff_mean_days_to_close_low", days.Select(d => d.Low)),
            new DoubleDataFrameColumn("diff_mean_days_to_close_high", days.Select(d => d.High)),
            new Int32DataFrameColumn("num_closed_with_sla", closedSla),
            new DoubleDataFrameColumn("adjusted_perc_within_sla", shares.Select(d => d.Adjusted)),
            new DoubleDataFrameColumn("diff_perc_within_sla", shares.Select(d => d.Diff)),
            new DoubleDataFrameColumn("diff_perc_within_sla_low", shares.Select(d => d.Low)),
            new DoubleDataFrameColumn("diff_perc_within_sla_high", shares.Select(d => d.High)),
            new BooleanDataFrameColumn("small_area", small));

        static (double? Adjusted, double? Diff, double? Low, double? High) Difference(long weight, double sum, double variance, double? cityValue)
        {
            if (weight == 0 || cityValue is not { } c)
            {
                return (null, null, null, null);
            }
            var adjusted = sum / weight;
            var half = Inference.Z95 * Math.Sqrt(variance) / weight;
            return (adjusted, adjusted - c, adjusted - c - half, adjusted - c + half);
        }
    }

    /// <summary>
    /// The sums behind an area's mix-adjusted figures: over the types the area has closed issues of, the city's
    /// closed issues per type as weights (<c>TimeWeight</c>, <c>SlaWeight</c>) and the weighted sums of the area's
    /// per-type mean days and % within SLA; the mean days expected from the area's own mix at the city's means;
    /// and, given each type's variance of days at the city, the variances of the weighted sums (the SLA share's
    /// from the city's share per type).
    /// </summary>
    private static (long TimeWeight, double TimeSum, double TimeVar, double Expected, long SlaWeight, double SlaSum, double SlaVar) Standardise(
        int area, int types, Summary[] cityByType, Summary[] byArea, Summary[] byAreaType, double[]? typeVariance)
    {
        long timeWeight = 0, slaWeight = 0;
        double timeSum = 0, timeVar = 0, expected = 0, slaSum = 0, slaVar = 0;
        for (var t = 0; t < types; t++)
        {
            var s = byAreaType[area * types + t];
            var c = cityByType[t];
            if (s.Closed > 0)
            {
                timeWeight += c.Closed;
                timeSum += c.Closed * s.MeanDays!.Value;
                expected += (double)s.Closed / byArea[area].Closed * c.MeanDays!.Value;
                timeVar += typeVariance is null ? 0 : (double)c.Closed * c.Closed * typeVariance[t] / s.Closed;
            }
            if (s.ClosedWithSla > 0)
            {
                var p = c.PercWithinSla!.Value / 100;
                slaWeight += c.ClosedWithSla;
                slaSum += c.ClosedWithSla * s.PercWithinSla!.Value;
                slaVar += (double)c.ClosedWithSla * c.ClosedWithSla * p * (1 - p) * 100 * 100 / s.ClosedWithSla;
            }
        }
        return (timeWeight, timeSum, timeVar, expected, slaWeight, slaSum, slaVar);
    }

    /// <summary>The sample variance of the values (0 for fewer than two).</summary>
    private static double Variance(double[] values)
    {
        if (values.Length < 2)
        {
            return 0;
        }
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
    }

    /// <summary>
    /// Reads a population table: CSV with a header naming the columns <c>area</c> and
    /// <c>population</c> (others are ignored), one row per area: its name as the issues carry it
    /// (a district number, a neighborhood name) and its residents, a whole number of 0 or more.
    /// Lines starting with <c>#</c> are comments.
    /// </summary>
    /// <exception cref="ServiceRequestsException">There is no such file, or the header, an area or a count is wrong, or an area repeats; the message names the file, line and column.</exception>
    public static IReadOnlyDictionary<string, long> LoadPopulation(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new ServiceRequestsException($"No population table at '{Path.GetFullPath(path)}'.");
        }
        return ParsePopulation(File.ReadAllText(path), path);
    }

    /// <summary>Parses population CSV text (see <see cref="LoadPopulation"/>); <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="ServiceRequestsException">The header, an area or a count is wrong, or an area repeats; the message names the source, line and column.</exception>
    public static IReadOnlyDictionary<string, long> ParsePopulation(string csv, string source = "population table")
    {
        ArgumentNullException.ThrowIfNull(csv);
        using var reader = CsvReader.FromText(csv, new CsvReaderOptions { Separator = ',', CommentPrefix = '#', TrackLineNumbers = true });
        reader.ReadHeader();
        if (reader.Headers.Count == 0)
        {
            throw new ServiceRequestsException($"{source}: the file is empty; expected a header area,population and a row per area.");
        }
        if (!reader.TryGetFieldIndex("area", out var areaColumn) || !reader.TryGetFieldIndex("population", out var populationColumn))
        {
            throw new ServiceRequestsException($"{source}: the header must name the columns area and population (e.g. area,population), not {string.Join(",", reader.Headers)}.");
        }
        var result = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read())
        {
            var line = reader.LineNumber;
            var area = AreaName(reader.GetStringOrNull(areaColumn));
            if (area is null)
            {
                throw new ServiceRequestsException($"{source}, line {line}, column area: empty.");
            }
            var count = reader.GetStringOrNull(populationColumn)?.Trim();
            if (!long.TryParse(count, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var residents) || residents < 0)
            {
                throw new ServiceRequestsException($"{source}, line {line}, column population: '{Shown(count)}' is not a number of residents (a whole number, 0 or more).");
            }
            if (!result.TryAdd(area, residents))
            {
                throw new ServiceRequestsException($"{source}, line {line}, column area: '{Shown(area)}' appears twice.");
            }
        }
        return result;
    }

    /// <summary>A value as a message shows it: one line, at most 40 characters.</summary>
    private static string Shown(string? value)
    {
        var text = string.Concat((value ?? "").Take(40).Select(c => char.IsControl(c) ? ' ' : c));
        return value?.Length > 40 ? text + "…" : text;
    }

    /// <summary>Numbers by value, then names in ordinal order, <see cref="ReopenDuplicateRates.NoValue"/> last.</summary>
    private static readonly Comparer<string> AreaOrder = Comparer<string>.Create((a, b) =>
    {
        static (int Kind, double Number) Key(string s) =>
            s == ReopenDuplicateRates.NoValue ? (2, 0) : double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? (0, n) : (1, 0);
        var (ka, na) = Key(a);
        var (kb, nb) = Key(b);
        return ka != kb ? ka.CompareTo(kb) : ka == 0 && na != nb ? na.CompareTo(nb) : string.CompareOrdinal(a, b);
    });

    /// <summary>An area's name: trimmed text, or a number in invariant form (so 3, 3.0 and "03" are one district); null when blank.</summary>
    private static string? AreaName(object? value)
    {
        var text = value switch
        {
            null => null,
            string s => s.Trim(),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString()?.Trim(),
        };
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            || (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < 1e15 && (n = (long)d) == d)
            ? n.ToString(CultureInfo.InvariantCulture)
            : text;
    }

    private Func<int, bool> InRange(DateOnly? from, DateOnly? to)
    {
        if (from > to)
        {
            throw new ArgumentException($"The range starts on {from:yyyy-MM-dd}, after its end {to:yyyy-MM-dd}.", nameof(from));
        }
        var first = from?.DayNumber ?? int.MinValue;
        var last = to?.DayNumber ?? int.MaxValue;
        var day = _columns.Day;
        return i => day[i] >= first && day[i] <= last;
    }
}
