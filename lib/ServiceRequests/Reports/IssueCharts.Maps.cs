using System.Globalization;
using Microsoft.Data.Analysis;
using NetTopologySuite.Geometries;
using Plotly.NET;
using ServiceRequests.Geo;

namespace ServiceRequests.Reports;

public static partial class IssueCharts
{
    /// <summary>
    /// A sequential palette (ColorBrewer Blues, 9 classes without the near-white one, which the gaps between areas show), low to high: darker means more, with no
    /// good or bad read into it (a high share within SLA is good, a high number of days is not).
    /// </summary>
    private static readonly string[] Palette = ["#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"];

    private const string NoDataColor = "#d9d9d9";

    /// <summary>Above this many areas the map names none of them on the map itself (only on hover).</summary>
    private const int MaxLabels = 30;

    /// <summary>
    /// A choropleth map: every area of <paramref name="areas"/> filled by its value of
    /// <paramref name="valueColumn"/> in <paramref name="table"/> (the table's first column names
    /// the areas, as the <see cref="Metrics.AreaMetrics"/> tables do; names match ignoring case),
    /// areas without a value in grey, with a colour bar and the value on hover. The polygons are
    /// drawn as filled shapes on plain axes kept to the map's scale, so the chart needs no tile
    /// server, no map projection and no topojson download: it draws offline wherever plotly.js does.
    /// </summary>
    /// <param name="areas">The areas' boundaries, e.g. <see cref="BoundaryLayer.CouncilDistricts2026"/>.</param>
    /// <param name="table">A table whose first column names the areas.</param>
    /// <param name="valueColumn">The numeric column to map.</param>
    /// <param name="title">Chart title (default: the column's name).</param>
    /// <exception cref="ArgumentException">The table has no such column, or it is not numeric.</exception>
    public static GenericChart AreaMap(BoundaryLayer areas, DataFrame table, string valueColumn, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(areas);
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
        var known = areas.Names.Where(values.ContainsKey).Select(n => values[n]).ToList();
        var (low, high) = known.Count == 0 ? (0.0, 1.0) : (known.Min(), known.Max());
        var label = valueColumn.Replace('_', ' ');
        var traces = new List<Trace>();
        var labels = new List<(string Name, Point At)>();
        foreach (var name in areas.Names)
        {
            var shapes = areas.Features.Where(f => f.Name == name).Select(f => f.Shape).ToList();
            var (x, y) = Outline(shapes);
            var has = values.TryGetValue(name, out var value);
            var trace = Trace("scatter", name, x, y);
            trace.SetProperty("mode", "lines");
            trace.SetProperty("fill", "toself");
            trace.SetProperty("fillcolor", has ? ColorOf(value, low, high) : NoDataColor);
            trace.SetProperty("line", Object(("color", "#4b5563"), ("width", 1)));
            trace.SetProperty("hoveron", "fills");
            trace.SetProperty("hoverinfo", "text");
            trace.SetProperty("text", string.Create(CultureInfo.InvariantCulture, $"{name}: {(has ? value.ToString("#,0.##", CultureInfo.InvariantCulture) : "no data")}"));
            trace.SetProperty("showlegend", false);
            traces.Add(trace);
            labels.Add((name, shapes.OrderByDescending(s => s.Area).First().InteriorPoint));
        }
        // An invisible marker pair that carries the colour bar of the fills above.
        var centre = labels.Count == 0 ? new Coordinate(0, 0) : labels[0].At.Coordinate;
        var scale = Trace("scatter", label, [centre.X, centre.X], [centre.Y, centre.Y]);
        scale.SetProperty("mode", "markers");
        scale.SetProperty("hoverinfo", "skip");
        scale.SetProperty("showlegend", false);
        scale.SetProperty("marker", Object(
            ("color", new[] { low, high }), ("cmin", low), ("cmax", high), ("opacity", 0), ("showscale", known.Count > 0),
            ("colorscale", Palette.Select((c, i) => new object[] { i / (double)(Palette.Length - 1), c }).ToArray()),
            ("colorbar", Object(("title", Object(("text", label)))))));
        traces.Add(scale);

        var bounds = new Envelope();
        foreach (var (_, shape) in areas.Features)
        {
            bounds.ExpandToInclude(shape.EnvelopeInternal);
        }
        var layout = new Layout();
        layout.SetProperty("title", Object(("text", title ?? label)));
        layout.SetProperty("xaxis", Object(("visible", false)));
        // A degree of latitude is 1/cos(latitude) times as long as a degree of longitude.
        var ratio = 1 / Math.Cos(bounds.Centre.Y * Math.PI / 180);
        layout.SetProperty("yaxis", Object(("visible", false), ("scaleanchor", "x"), ("scaleratio", double.IsFinite(ratio) ? ratio : 1)));
        layout.SetProperty("plot_bgcolor", "white");
        layout.SetProperty("width", 900);
        layout.SetProperty("height", 640);
        layout.SetProperty("margin", Object(("l", 10), ("r", 10), ("t", 50), ("b", 10)));
        layout.SetProperty("hovermode", "closest");
        if (labels.Count <= MaxLabels)
        {
            // Names on a light box, readable on the darkest fill.
            layout.SetProperty("annotations", labels.Select(l => Object(
                ("x", l.At.X), ("y", l.At.Y), ("text", l.Name), ("showarrow", false),
                ("bgcolor", "rgba(255,255,255,0.75)"), ("font", Object(("size", 13), ("color", "#111827"))))).ToArray());
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

    private static string ColorOf(double value, double low, double high)
    {
        var t = high > low ? (value - low) / (high - low) : 0.5;
        var at = Math.Clamp(t, 0, 1) * (Palette.Length - 1);
        var i = Math.Min((int)at, Palette.Length - 2);
        var f = at - i;
        static (int R, int G, int B) Rgb(string hex) =>
            (int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
             int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
             int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var (r0, g0, b0) = Rgb(Palette[i]);
        var (r1, g1, b1) = Rgb(Palette[i + 1]);
        int Mix(int a, int b) => (int)Math.Round(a + (b - a) * f);
        return string.Create(CultureInfo.InvariantCulture, $"rgb({Mix(r0, r1)},{Mix(g0, g1)},{Mix(b0, b1)})");
    }
}
