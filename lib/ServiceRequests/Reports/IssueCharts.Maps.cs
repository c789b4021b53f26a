using System.Globalization;
using Microsoft.Data.Analysis;
using NetTopologySuite.Geometries;
using Plotly.NET;
using ServiceRequests.Geo;

namespace ServiceRequests.Reports;

public static partial class IssueCharts
{
    /// <summary>
    /// The sequential palette of counts and rates (viridis without its darkest end, light to dark):
    /// darker means more, with no good or bad read into it, and no hue the difference maps use for
    /// worse (orange) or better (blue).
    /// </summary>
    private static readonly string[] Palette = ["#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989"];

    /// <summary>The difference maps' diverging palette, better to worse: blue, light grey, orange (colour-blind safe).</summary>
    private static readonly string[] Diverging = ["#08519c", "#4292c6", "#9ecae1", "#f7f7f7", "#fdb863", "#e08214", "#b35806"];

    private const string NoDataColor = "#d9d9d9";

    /// <summary>The fill of an area whose difference from the city is within chance: muted.</summary>
    private const string LikeCityColor = "#eeeeee";

    /// <summary>Above this many areas the map names none of them on the map itself (only on hover).</summary>
    private const int MaxLabels = 30;

    /// <summary>
    /// A choropleth map: every area of <paramref name="areas"/> filled by its value of
    /// <paramref name="valueColumn"/> in <paramref name="table"/> (the table's first column names
    /// the areas, as the <see cref="Metrics.AreaMetrics"/> tables do; names match ignoring case),
    /// on a sequential palette from 0 (viridis: darker is more, neither good nor bad), areas without a value
    /// in grey, with a colour bar and the value on hover. For a judgement (days to close, a share
    /// within SLA) use <see cref="DifferenceMap"/>. The polygons are drawn as filled shapes on plain
    /// axes kept to the map's scale, so the chart needs no tile server, no map projection and no
    /// topojson download: it draws offline wherever plotly.js does.
    /// </summary>
    /// <param name="areas">The areas' boundaries, e.g. <see cref="BoundaryLayer.CouncilDistricts2026"/>.</param>
    /// <param name="table">A table whose first column names the areas.</param>
    /// <param name="valueColumn">The numeric column to map.</param>
    /// <param name="title">Chart title (default: the column's name).</param>
    /// <exception cref="ArgumentException">The table has no such column, or it is not numeric.</exception>
    public static GenericChart AreaMap(BoundaryLayer areas, DataFrame table, string valueColumn, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(areas);
        var values = AreaValues(table, valueColumn);
        var known = areas.Names.Where(values.ContainsKey).Select(n => values[n]).ToList();
        // From 0 (or the lowest value, if negative): a colour's depth is the value's size, not its rank among close values.
        var (low, high) = known.Count == 0 ? (0.0, 1.0) : (Math.Min(0, known.Min()), known.Max());
        if (low == high)
        {
            (low, high) = (low - 1, high + 1);
        }
        var label = valueColumn.Replace('_', ' ');
        var fills = areas.Names.ToDictionary(n => n, n => values.TryGetValue(n, out var v) ? ColorOf(Palette, v, low, high) : NoDataColor, StringComparer.OrdinalIgnoreCase);
        var hover = areas.Names.ToDictionary(n => n, n => string.Create(CultureInfo.InvariantCulture,
            $"{n}: {(values.TryGetValue(n, out var v) ? v.ToString("#,0.##", CultureInfo.InvariantCulture) : "no data")}"), StringComparer.OrdinalIgnoreCase);
        return Map(areas, fills, hover, areas.Names.ToDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase),
            known.Count > 0 ? (low, high, Palette, label) : null, title ?? label, footnote: null);
    }

    /// <summary>
    /// A map of each area's difference from the city, from <see cref="Metrics.AreaMetrics.DifferenceFromCity"/>,
    /// for <paramref name="measure"/> <c>mean_days_to_close</c> (more is worse) or
    /// <c>perc_within_sla</c> (more is better): a diverging scale centred on the city (0), orange
    /// for worse and blue for better in every map, as deep as the difference (the scale spans at
    /// least a tenth of the city's mean days, or 5 percentage points, so that a sliver of a day does
    /// not look dark); areas whose 95 % interval holds 0 (not distinguishable from the city) are
    /// muted grey; areas with too few closed issues (<c>small_area</c>) are marked with an asterisk.
    /// Each label gives the difference; hover gives the interval.
    /// </summary>
    /// <param name="areas">The areas' boundaries.</param>
    /// <param name="difference">The table <see cref="Metrics.AreaMetrics.DifferenceFromCity"/> returns.</param>
    /// <param name="measure"><c>mean_days_to_close</c> or <c>perc_within_sla</c>.</param>
    /// <param name="title">Chart title (default: what the measure is, against the city).</param>
    /// <exception cref="ArgumentException">The table is not a difference table, or the measure is not one of the two.</exception>
    public static GenericChart DifferenceMap(BoundaryLayer areas, DataFrame difference, string measure = "mean_days_to_close", string? title = null)
    {
        ArgumentNullException.ThrowIfNull(areas);
        var (higherIsWorse, unit, floorOfCity, floor) = measure switch
        {
            "mean_days_to_close" => (true, " days", 0.1, 0.0),
            "perc_within_sla" => (false, " points", 0.0, 5.0),
            _ => throw new ArgumentException($"The measure must be mean_days_to_close or perc_within_sla (got '{measure}').", nameof(measure)),
        };
        var diff = AreaValues(difference, "diff_" + measure);
        var low = AreaValues(difference, "diff_" + measure + "_low");
        var high = AreaValues(difference, "diff_" + measure + "_high");
        var adjusted = AreaValues(difference, "adjusted_" + measure);
        Columns(difference, "small_area");
        var small = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (long row = 0; row < difference.Rows.Count; row++)
        {
            if (difference["small_area"][row] is true && Convert.ToString(difference.Columns[0][row], CultureInfo.InvariantCulture) is { } name)
            {
                small.Add(name.Trim());
            }
        }
        var cityValue = adjusted.Keys.Where(diff.ContainsKey).Select(k => adjusted[k] - diff[k]).DefaultIfEmpty(0).First();
        var span = Math.Max(areas.Names.Where(diff.ContainsKey).Select(n => Math.Abs(diff[n])).DefaultIfEmpty(0).Max(), Math.Max(floor, floorOfCity * Math.Abs(cityValue)));
        span = span > 0 ? span : 1;
        // The palette runs better to worse; a measure where more is better reads it the other way.
        var palette = higherIsWorse ? Diverging : Diverging.AsEnumerable().Reverse().ToArray();
        static string Signed(double v, string unit) => (v > 0 ? "+" : v < 0 ? "−" : "±") + Math.Abs(v).ToString("0.##", CultureInfo.InvariantCulture) + unit;
        bool LikeCity(string n) => low.TryGetValue(n, out var l) && high.TryGetValue(n, out var h) && l <= 0 && h >= 0;
        var fills = areas.Names.ToDictionary(n => n, n => !diff.TryGetValue(n, out var d) ? NoDataColor : LikeCity(n) ? LikeCityColor : ColorOf(palette, d, -span, span), StringComparer.OrdinalIgnoreCase);
        var hover = areas.Names.ToDictionary(n => n, n => diff.TryGetValue(n, out var d)
            ? $"{n}{(small.Contains(n) ? " (small area)" : "")}: {Signed(d, unit)} vs the city (95 % interval {Signed(low[n], "")} to {Signed(high[n], unit)}){(LikeCity(n) ? ", not distinguishable from the city" : "")}"
            : $"{n}: no data", StringComparer.OrdinalIgnoreCase);
        var labels = areas.Names.ToDictionary(n => n, n => (small.Contains(n) ? n + "*" : n) + "<br>" + (!diff.TryGetValue(n, out var d) ? "no data" : LikeCity(n) ? "≈ city" : Signed(d, unit)), StringComparer.OrdinalIgnoreCase);
        var what = measure == "mean_days_to_close" ? "Mean days to close" : "% closed within SLA";
        var footnote = "Difference from the city, adjusted for the request mix: orange is worse, blue is better; grey (≈ city): the 95 % interval includes no difference" +
                       (small.Count > 0 ? "; * too few closed issues to compare." : ".");
        return Map(areas, fills, hover, labels, (-span, span, palette, $"difference ({unit.Trim()})"),
            title ?? string.Create(CultureInfo.InvariantCulture, $"{what} against the city ({cityValue:0.##}{(measure == "mean_days_to_close" ? " days" : " %")}), adjusted for the request mix"), footnote);
    }

    /// <summary>The numeric values of a column by area name (the table's first column), finite ones only.</summary>
    private static Dictionary<string, double> AreaValues(DataFrame table, string valueColumn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(valueColumn);
        var column = Columns(table, valueColumn).First(c => c.Name == valueColumn);
        if (column is StringDataFrameColumn or BooleanDataFrameColumn or DateTimeDataFrameColumn)
        {
            throw new ArgumentException($"The column '{valueColumn}' is not numeric; a map shows numbers.", nameof(valueColumn));
        }
        var values = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        for (long row = 0; row < table.Rows.Count; row++)
        {
            if (Convert.ToString(table.Columns[0][row], CultureInfo.InvariantCulture) is { } name && Number(column[row]) is { } value && double.IsFinite(value))
            {
                values[name.Trim()] = value;
            }
        }
        return values;
    }

    /// <summary>The map of the areas with their fills, hover texts and labels, a colour bar and a footnote.</summary>
    private static GenericChart Map(BoundaryLayer areas, Dictionary<string, string> fills, Dictionary<string, string> hover, Dictionary<string, string> names,
        (double Low, double High, string[] Palette, string Title)? colourBar, string title, string? footnote)
    {
        var traces = new List<Trace>();
        var labels = new List<(string Name, Point At)>();
        foreach (var name in areas.Names)
        {
            var shapes = areas.Features.Where(f => f.Name == name).Select(f => f.Shape).ToList();
            var (x, y) = Outline(shapes);
            var trace = Trace("scatter", name, x, y);
            trace.SetProperty("mode", "lines");
            trace.SetProperty("fill", "toself");
            trace.SetProperty("fillcolor", fills[name]);
            trace.SetProperty("line", Object(("color", "#4b5563"), ("width", 1)));
            trace.SetProperty("hoveron", "fills");
            trace.SetProperty("hoverinfo", "text");
            trace.SetProperty("text", hover[name]);
            trace.SetProperty("showlegend", false);
            traces.Add(trace);
            labels.Add((names[name], shapes.OrderByDescending(s => s.Area).First().InteriorPoint));
        }
        if (colourBar is { } bar)
        {
            // An invisible marker pair that carries the colour bar of the fills above.
            var centre = labels.Count == 0 ? new Coordinate(0, 0) : labels[0].At.Coordinate;
            var scale = Trace("scatter", bar.Title, [centre.X, centre.X], [centre.Y, centre.Y]);
            scale.SetProperty("mode", "markers");
            scale.SetProperty("hoverinfo", "skip");
            scale.SetProperty("showlegend", false);
            scale.SetProperty("marker", Object(
                ("color", new[] { bar.Low, bar.High }), ("cmin", bar.Low), ("cmax", bar.High), ("opacity", 0), ("showscale", true),
                ("colorscale", bar.Palette.Select((c, i) => new object[] { i / (double)(bar.Palette.Length - 1), c }).ToArray()),
                ("colorbar", Object(("title", Object(("text", bar.Title)))))));
            traces.Add(scale);
        }

        var bounds = new Envelope();
        foreach (var (_, shape) in areas.Features)
        {
            bounds.ExpandToInclude(shape.EnvelopeInternal);
        }
        var layout = new Layout();
        layout.SetProperty("title", Object(("text", title)));
        // A map's axes are longitude and latitude: hidden, but titled for readers of the figure.
        layout.SetProperty("xaxis", Object(("visible", false), ("title", Object(("text", "longitude")))));
        // A degree of latitude is 1/cos(latitude) times as long as a degree of longitude.
        var ratio = 1 / Math.Cos(bounds.Centre.Y * Math.PI / 180);
        layout.SetProperty("yaxis", Object(("visible", false), ("title", Object(("text", "latitude"))), ("scaleanchor", "x"), ("scaleratio", double.IsFinite(ratio) ? ratio : 1)));
        layout.SetProperty("plot_bgcolor", "white");
        layout.SetProperty("width", 900);
        layout.SetProperty("height", 640);
        layout.SetProperty("margin", Object(("l", 10), ("r", 10), ("t", 50), ("b", footnote is null ? 10 : 50)));
        layout.SetProperty("hovermode", "closest");
        var annotations = new List<DynamicObj.DynamicObj>();
        if (labels.Count <= MaxLabels)
        {
            // Names on a light box, readable on the darkest fill.
            annotations.AddRange(labels.Select(l => Object(
                ("x", l.At.X), ("y", l.At.Y), ("text", l.Name), ("showarrow", false),
                ("bgcolor", "rgba(255,255,255,0.75)"), ("font", Object(("size", 13), ("color", "#111827"))))));
        }
        if (footnote is not null)
        {
            annotations.Add(Object(("text", footnote), ("xref", "paper"), ("yref", "paper"), ("x", 0), ("y", 0), ("yanchor", "top"), ("xanchor", "left"),
                ("yshift", -8), ("showarrow", false), ("font", Object(("size", 12), ("color", "#57606a")))));
        }
        if (annotations.Count > 0)
        {
            layout.SetProperty("annotations", annotations.ToArray());
        }
        return Chart(traces, layout);
    }

    /// <summary>Every ring of the shapes, shells counter-clockwise and holes clockwise, separated by gaps (nulls).</summary>
    private static (List<object> X, List<double?> Y) Outline(IEnumerable<Geometry> shapes)
    {
        var x = new List<object>();
        var y = new List<double?>();
        void Ring(LineString ring, bool counterClockwise)
        {
            var points = ring.Coordinates;
            if (NetTopologySuite.Algorithm.Orientation.IsCCW(points) != counterClockwise)
            {
                points = [.. Enumerable.Reverse(points)];
            }
            if (x.Count > 0)
            {
                x.Add(null!);
                y.Add(null);
            }
            foreach (var p in points)
            {
                x.Add(Math.Round(p.X, 6));
                y.Add(Math.Round(p.Y, 6));
            }
        }
        foreach (var shape in shapes)
        {
            for (var i = 0; i < shape.NumGeometries; i++)
            {
                var polygon = (Polygon)shape.GetGeometryN(i);
                Ring(polygon.Shell, counterClockwise: true);
                foreach (var hole in polygon.Holes)
                {
                    Ring(hole, counterClockwise: false);
                }
            }
        }
        return (x, y);
    }

    private static string ColorOf(string[] palette, double value, double low, double high)
    {
        var t = high > low ? (value - low) / (high - low) : 0.5;
        var at = Math.Clamp(t, 0, 1) * (palette.Length - 1);
        var i = Math.Min((int)at, palette.Length - 2);
        var f = at - i;
        static (int R, int G, int B) Rgb(string hex) =>
            (int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
             int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
             int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var (r0, g0, b0) = Rgb(palette[i]);
        var (r1, g1, b1) = Rgb(palette[i + 1]);
        int Mix(int a, int b) => (int)Math.Round(a + (b - a) * f);
        return string.Create(CultureInfo.InvariantCulture, $"rgb({Mix(r0, r1)},{Mix(g0, g1)},{Mix(b0, b1)})");
    }
}
