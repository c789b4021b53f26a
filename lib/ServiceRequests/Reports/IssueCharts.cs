using System.Globalization;
using System.Text;
using Microsoft.Data.Analysis;
using Plotly.NET;
using ServiceRequests.Metrics;

namespace ServiceRequests.Reports;

/// <summary>
/// Plotly.NET charts of the <see cref="IssueMetrics"/> tables: issues opened by type (stacked
/// bars), time to close per department (box), SLA compliance per department (bars with a target
/// line), the last weeks compared (grouped bars) and re-open and duplicate rate trends (lines).
/// Each takes the DataFrame the matching <see cref="IssueMetrics"/> method returns and gives a
/// <see cref="GenericChart"/> to display or render (<c>GenericChart.toChartHTML</c>).
/// </summary>
/// <remarks>
/// Built from Plotly.NET's trace and layout objects (<see cref="Trace2D"/>, <see cref="Layout"/>),
/// the objects its F# <c>Chart</c> functions produce: from C# those functions need every one of
/// their 20 to 85 optional arguments spelled out, and Plotly.NET.CSharp exists only for net10.0.
/// </remarks>
public static partial class IssueCharts
{
    /// <summary>
    /// Stacked bars of issues opened per period from <see cref="IssueMetrics.OpenedByWeek"/> or
    /// <see cref="IssueMetrics.OpenedByMonth"/>: the <paramref name="top"/> types with the most
    /// issues in the table, each in the colour it has in every chart of the report, and the rest
    /// pooled as one grey "other types" series (a palette cannot tell 30 series apart; see
    /// <see cref="OpenedHeatmap"/> for every type). Types with no issues and the totals row are
    /// left out.
    /// </summary>
    /// <param name="opened">The opened-by-period table.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="top">How many types get their own series (default 8).</param>
    /// <exception cref="ArgumentException">The table is not an opened-by-period table, or <paramref name="top"/> is below 1.</exception>
    public static GenericChart OpenedByType(DataFrame opened, string title = "Issues opened per week by request type", int top = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var periods = Columns(opened, "request_type_title", "total").Where(c => c.Name is not ("request_type_title" or "total")).ToList();
        var rows = Enumerable.Range(0, (int)opened.Rows.Count)
            .Where(r => (string)opened["request_type_title"][r] != IssueMetrics.AllTypes && Convert.ToInt64(opened["total"][r], CultureInfo.InvariantCulture) > 0)
            .OrderByDescending(r => Convert.ToInt64(opened["total"][r], CultureInfo.InvariantCulture)).ThenBy(r => (string)opened["request_type_title"][r], StringComparer.Ordinal)
            .ToList();
        var shown = rows.Count <= top + 1 ? rows : rows.Take(top).ToList();
        var traces = new List<Trace>();
        var types = shown.ConvertAll(row => (string)opened["request_type_title"][row]);
        var colours = TypeColours.Of(types);
        for (var k = 0; k < shown.Count; k++)
        {
            var row = shown[k];
            traces.Add(Coloured(Trace("bar", types[k], periods.Select(c => (object)c.Name), periods.Select(c => Number(c[row]))), colours[k]));
        }
        var rest = rows.Except(shown).ToList();
        if (rest.Count > 0)
        {
            traces.Add(Coloured(Trace("bar", $"other types ({rest.Count})", periods.Select(c => (object)c.Name),
                periods.Select(c => (double?)rest.Sum(r => Number(c[r]) ?? 0))), TypeColours.Other));
        }
        var layout = Layout(title, "period", "issues opened", barMode: "stack");
        layout.SetProperty("xaxis", Object(("title", Object(("text", "period"))), ("type", "category")));
        return Chart(traces, layout);
    }

    /// <summary>
    /// The distribution of days to close per department, as boxes drawn from
    /// <see cref="IssueMetrics.TimeToClose"/> grouped by <see cref="MetricGrouping.Department"/>:
    /// the box spans the 25th to 75th percentile with the median inside, the whiskers reach the
    /// 10th and 90th percentiles, and the mean is dashed. Departments with nothing closed are left out.
    /// </summary>
    /// <param name="timeToCloseByDepartment">The time-to-close table per department.</param>
    /// <exception cref="ArgumentException">The table is not a per-department time-to-close table.</exception>
    public static GenericChart TimeToCloseByDepartment(DataFrame timeToCloseByDepartment)
    {
        var t = PerDepartment(timeToCloseByDepartment);
        Columns(t, "department", "num_closed", "mean_days_to_close", "p10_days_to_close", "p25_days_to_close", "median_days_to_close", "p75_days_to_close", "p90_days_to_close");
        var traces = new List<Trace>();
        for (long row = 0; row < t.Rows.Count; row++)
        {
            if (Convert.ToInt64(t["num_closed"][row], CultureInfo.InvariantCulture) == 0)
            {
                continue;
            }
            var department = (string)t["department"][row];
            var box = Trace("box", department, [Wrap(department)], null);
            box.SetProperty("showlegend", false);
            // One neutral colour: the departments are named on the axis, a colour per box would say nothing more.
            box.SetProperty("marker", Object(("color", "#4b5563")));
            box.SetProperty("line", Object(("color", "#4b5563")));
            box.SetProperty("fillcolor", "rgba(75,85,99,0.25)");
            foreach (var (property, column) in new[]
            {
                ("lowerfence", "p10_days_to_close"), ("q1", "p25_days_to_close"), ("median", "median_days_to_close"),
                ("q3", "p75_days_to_close"), ("upperfence", "p90_days_to_close"), ("mean", "mean_days_to_close"),
            })
            {
                box.SetProperty(property, new[] { Number(t[column][row]) });
            }
            traces.Add(box);
        }
        var layout = Layout("Days to close per department (box: 25th–75th percentile, whiskers: 10th–90th; dashed: mean)", "department", "days to close");
        layout.SetProperty("xaxis", Object(("title", Object(("text", "department"))), ("tickangle", 0), ("automargin", true)));
        return Chart(traces, layout);
    }

    /// <summary>
    /// Bars of the share closed within SLA per department, from <see cref="IssueMetrics.SlaCompliance"/>
    /// grouped by <see cref="MetricGrouping.Department"/>, with a dashed line at <paramref name="targetPercent"/>.
    /// Departments without an SLA figure are left out.
    /// </summary>
    /// <param name="slaByDepartment">The SLA table per department.</param>
    /// <param name="targetPercent">The target, in percent (default 90).</param>
    /// <exception cref="ArgumentException">The table is not a per-department SLA table, or the target is not a percentage.</exception>
    public static GenericChart SlaComplianceByDepartment(DataFrame slaByDepartment, double targetPercent = 90)
    {
        if (!(targetPercent is >= 0 and <= 100))
        {
            throw new ArgumentException($"The target must be a percentage from 0 to 100 (got {targetPercent}).", nameof(targetPercent));
        }
        var t = PerDepartment(slaByDepartment);
        Columns(t, "department", "perc_within_sla");
        var rows = Enumerable.Range(0, (int)t.Rows.Count).Where(r => t["perc_within_sla"][r] is not null).ToList();
        var departments = rows.Select(r => (object)Wrap((string)t["department"][r])).ToList();
        var bars = Coloured(Trace("bar", "closed within SLA (%)", departments, rows.Select(r => Number(t["perc_within_sla"][r]))), Better);
        var target = Trace("scatter", string.Create(CultureInfo.InvariantCulture, $"target {targetPercent:0.#} %"), departments, departments.Select(_ => (double?)targetPercent));
        target.SetProperty("mode", "lines");
        target.SetProperty("line", Object(("dash", "dash"), ("color", Worse)));
        var layout = Layout("Closed within SLA per department (issues closed so far)", "department", "% closed within SLA", yRange: [0, 100]);
        layout.SetProperty("xaxis", Object(("title", Object(("text", "department"))), ("tickangle", 0), ("automargin", true)));
        return Chart([bars, target], layout);
    }

    /// <summary>
    /// Grouped horizontal bars comparing the weeks of <see cref="IssueMetrics.LastWeeks"/> for one
    /// metric: one bar series per week, the <paramref name="top"/> request types with the most
    /// issues in the latest week down the side (the <see cref="IssueMetrics.AllTypes"/> row left
    /// out; the table has every type).
    /// </summary>
    /// <param name="lastWeeks">The last-weeks table.</param>
    /// <param name="metric">The metric to show, e.g. <c>num_issues</c> or <c>perc_within_sla</c>.</param>
    /// <param name="top">How many types to show (default 12).</param>
    /// <exception cref="ArgumentException">The table is not a last-weeks table, or has no such metric.</exception>
    public static GenericChart LastWeeksComparison(DataFrame lastWeeks, string metric = "num_issues", int top = 12)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var t = lastWeeks;
        Columns(t, "request_type_title", "metric");
        var weeks = t.Columns.Where(c => DateOnly.TryParseExact(c.Name, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)).ToList();
        bool IsType(int r) => (string)t["request_type_title"][r] != IssueMetrics.AllTypes;
        var volume = Enumerable.Range(0, (int)t.Rows.Count).Where(r => IsType(r) && (string)t["metric"][r] == "num_issues")
            .ToDictionary(r => (string)t["request_type_title"][r], r => weeks.Count == 0 ? 0 : Number(weeks[^1][r]) ?? 0);
        var rows = Enumerable.Range(0, (int)t.Rows.Count).Where(r => (string)t["metric"][r] == metric && IsType(r))
            .OrderByDescending(r => volume.GetValueOrDefault((string)t["request_type_title"][r])).ThenBy(r => (string)t["request_type_title"][r], StringComparer.Ordinal)
            .Take(top).Reverse().ToList();
        if (rows.Count == 0 || weeks.Count == 0)
        {
            throw new ArgumentException($"The table has no weeks of metric '{metric}'; pass a table from IssueMetrics.LastWeeks and one of its metrics.", nameof(metric));
        }
        var types = rows.Select(r => (object)t["request_type_title"][r]).ToList();
        // A week of a type is provisional while some of its issues are open: its closing figures count only those closed so far.
        var openOf = Enumerable.Range(0, (int)t.Rows.Count).Where(r => IsType(r) && (string)t["metric"][r] == "num_open")
            .ToDictionary(r => (string)t["request_type_title"][r], r => r);
        var closing = metric is not ("num_issues" or "num_open" or "perc_reopened" or "perc_duplicates");
        bool Provisional(DataFrameColumn week, int row) =>
            closing && openOf.TryGetValue((string)t["request_type_title"][row], out var open) && Number(week[open]) > 0;
        var anyProvisional = false;
        var palette = WeekPalette(weeks.Count);
        var traces = weeks.Select((w, k) =>
        {
            var bar = Trace("bar", "week of " + w.Name, [], null);
            bar.SetProperty("orientation", "h");
            bar.SetProperty("y", types.ToArray());
            bar.SetProperty("x", rows.Select(r => Number(w[r])).ToArray());
            var provisional = rows.Select(r => Provisional(w, r)).ToArray();
            anyProvisional |= provisional.Any(p => p);
            bar.SetProperty("marker", Object(
                ("color", palette[k]),
                ("opacity", provisional.Select(p => p ? 0.55 : 1.0).ToArray()),
                ("pattern", Object(("shape", provisional.Select(p => p ? "/" : "").ToArray()), ("fgcolor", "#111827"), ("size", 6)))));
            bar.SetProperty("text", provisional.Select(p => p ? "provisional" : "").ToArray());
            bar.SetProperty("textposition", "none");
            bar.SetProperty("hovertemplate", "%{y}, %{fullData.name}: %{x} %{text}<extra></extra>");
            return bar;
        }).ToList();
        var layout = Layout($"{metric}: the last {weeks.Count} weeks, the {rows.Count} types with the most issues", metric, "request type", barMode: "group");
        layout.SetProperty("height", Math.Max(450, 110 + rows.Count * weeks.Count * 9));
        layout.SetProperty("yaxis", Object(("title", Object(("text", "request type"))), ("automargin", true)));
        if (anyProvisional)
        {
            layout.SetProperty("annotations", new[]
            {
                Object(("text", "Hatched, lighter bars are provisional: that week's issues are not all closed, so the figure counts only those closed so far."),
                    ("xref", "paper"), ("yref", "paper"), ("x", 0), ("y", 1.0), ("yanchor", "bottom"), ("xanchor", "left"), ("showarrow", false),
                    ("font", Object(("size", 12), ("color", "#57606a")))),
            });
            layout.SetProperty("margin", Object(("t", 90)));
        }
        return Chart(traces, layout);
    }

    /// <summary>
    /// Colours of successive weeks, oldest to latest: light to dark blue (a sequential scale, the
    /// same hue, so the order reads without a legend and nothing reads as good or bad).
    /// </summary>
    private static string[] WeekPalette(int count)
    {
        string[] blues = ["#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b"];
        return [.. Enumerable.Range(0, count).Select(k => blues[count == 1 ? blues.Length - 1 : (int)Math.Round(k * (blues.Length - 1) / (double)(count - 1))])];
    }

    /// <summary>Better (blue) and worse (orange): the one meaning of these two hues in every chart and map (colour-blind safe, Okabe–Ito).</summary>
    private const string Better = "#0072b2";

    /// <summary>See <see cref="Better"/>.</summary>
    private const string Worse = "#d55e00";

    /// <summary>A label wrapped onto lines of about <paramref name="width"/> characters (Plotly breaks at <c>&lt;br&gt;</c>), so long names stay horizontal.</summary>
    private static string Wrap(string label, int width = 16)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in label.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }
            line.Append(line.Length > 0 ? " " : "").Append(word);
        }
        lines.Add(line.ToString());
        return string.Join("<br>", lines);
    }

    /// <summary>
    /// The length of the rolling window of a rolling series, in weeks: the smallest count of weeks whose
    /// <c>num_issues</c> add up to <c>rolling_num_issues</c> on every row that can tell; null when the table cannot tell.
    /// </summary>
    private static int? RollingWindow(DataFrame t, List<int> rows)
    {
        if (t.Columns.IndexOf("rolling_num_issues") < 0 || t.Columns.IndexOf("num_issues") < 0)
        {
            return null;
        }
        var weekly = rows.Select(r => Number(t["num_issues"][r]) ?? 0).ToArray();
        var rolling = rows.Select(r => Number(t["rolling_num_issues"][r])).ToArray();
        for (var k = 1; k <= Math.Min(104, rows.Count); k++)
        {
            var window = k;
            var checkable = Enumerable.Range(window - 1, rows.Count - window + 1).Where(i => rolling[i] is not null).ToList();
            if (checkable.Count > 0 && checkable.All(i => Math.Abs(weekly.Skip(i - window + 1).Take(window).Sum() - rolling[i]!.Value) < 0.5))
            {
                return k;
            }
        }
        return null;
    }

    /// <summary>
    /// Lines of the rolling re-open and duplicate rates of one request type (default all types)
    /// from <see cref="IssueMetrics.RollingSeries"/>; weeks without a full window are gaps.
    /// </summary>
    /// <param name="rollingSeries">The rolling series.</param>
    /// <param name="requestType">The request type, or <see cref="IssueMetrics.AllTypes"/>.</param>
    /// <exception cref="ArgumentException">The table is not a rolling series, or has no such request type.</exception>
    public static GenericChart ReopenDuplicateTrends(DataFrame rollingSeries, string requestType = IssueMetrics.AllTypes)
    {
        var t = rollingSeries;
        Columns(t, "request_type_title", "week_start", "rolling_perc_reopened", "rolling_perc_duplicates");
        var rows = Enumerable.Range(0, (int)t.Rows.Count).Where(r => (string)t["request_type_title"][r] == requestType).ToList();
        if (rows.Count == 0)
        {
            throw new ArgumentException($"The rolling series has no rows for request type '{requestType}'.", nameof(requestType));
        }
        var weeks = rows.Select(r => (object)((DateTime)t["week_start"][r]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        var traces = new[] { ("re-opened (%)", "rolling_perc_reopened"), ("duplicates (%)", "rolling_perc_duplicates") }
            .Select(s =>
            {
                var line = Trace("scatter", s.Item1, weeks, rows.Select(r => Number(t[s.Item2][r])));
                line.SetProperty("mode", "lines");
                return line;
            }).ToList();
        var window = RollingWindow(t, rows) is { } w ? $"rolling {w}-week window" : "rolling window";
        return Chart(traces, Layout($"Re-opened and duplicate rates, {window}: {requestType}", "week", "% of issues created"));
    }

    /// <summary>
    /// Grouped bars of the re-opened and duplicate rates per group, from
    /// <see cref="ReopenDuplicateRates.By"/> or <see cref="ReopenDuplicateRates.ByDepartment"/>
    /// (the group is the table's first column, e.g. council district).
    /// </summary>
    /// <param name="rates">The rates table.</param>
    /// <exception cref="ArgumentException">The table is not a rates table.</exception>
    public static GenericChart ReopenDuplicateRatesBy(DataFrame rates)
    {
        var t = rates;
        Columns(t, "perc_reopened", "perc_duplicates");
        var group = t.Columns[0].Name;
        var keys = Enumerable.Range(0, (int)t.Rows.Count).Select(r => (object)Wrap(Convert.ToString(t.Columns[0][r], CultureInfo.InvariantCulture)!)).ToList();
        var traces = new[] { ("re-opened (%)", "perc_reopened"), ("duplicates (%)", "perc_duplicates") }
            .Select(s => Trace("bar", s.Item1, keys, Enumerable.Range(0, keys.Count).Select(r => Number(t[s.Item2][r])))).ToList();
        var layout = Layout($"Re-opened and duplicate rates by {group.Replace('_', ' ')}", group.Replace('_', ' '), "% of issues created", barMode: "group");
        layout.SetProperty("xaxis", Object(("title", Object(("text", group.Replace('_', ' ')))), ("tickangle", 0), ("automargin", true), ("type", "category")));
        return Chart(traces, layout);
    }

    private static Trace2D Trace(string type, string name, IEnumerable<object> x, IEnumerable<double?>? y)
    {
        var trace = new Trace2D(type);
        trace.SetProperty("name", name);
        trace.SetProperty("x", x.ToArray());
        if (y is not null)
        {
            trace.SetProperty("y", y.ToArray());
        }
        return trace;
    }

    /// <summary>A layout with a title, axis titles, and optionally a bar mode and the value axis' range.</summary>
    private static Layout Layout(string title, string xTitle, string yTitle, string? barMode = null, double[]? yRange = null)
    {
        var layout = new Layout();
        layout.SetProperty("title", Object(("text", title)));
        layout.SetProperty("xaxis", Object(("title", Object(("text", xTitle)))));
        var yAxis = Object(("title", Object(("text", yTitle))));
        if (yRange is not null)
        {
            yAxis.SetProperty("range", yRange);
        }
        layout.SetProperty("yaxis", yAxis);
        if (barMode is not null)
        {
            layout.SetProperty("barmode", barMode);
        }
        return layout;
    }

    private static DynamicObj.DynamicObj Object(params (string Name, object Value)[] properties)
    {
        var result = new DynamicObj.DynamicObj();
        foreach (var (name, value) in properties)
        {
            result.SetProperty(name, value);
        }
        return result;
    }

    /// <summary>
    /// A chart of the traces that takes the width of its container: Plotly.NET's defaults fix the
    /// width at 600 px, which is removed; the layout autosizes and the config is responsive.
    /// </summary>
    private static GenericChart Chart(IEnumerable<Trace> traces, Layout layout)
    {
        layout.SetProperty("autosize", true);
        var chart = GenericChart.addLayout(layout, GenericChart.ofTraceObjects(true, traces.ToList()));
        var combined = GenericChart.getLayout(chart);
        combined.RemoveProperty("width");
        var config = new Config();
        config.SetProperty("responsive", true);
        return GenericChart.addConfig(config, GenericChart.setLayout(combined, chart));
    }

    /// <summary>The trace with a fixed colour (bars, markers and lines).</summary>
    private static Trace Coloured(Trace trace, string colour)
    {
        trace.SetProperty("marker", Object(("color", colour)));
        return trace;
    }

    private static double? Number(object? value) => value is null ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static DataFrame PerDepartment(DataFrame table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Columns.IndexOf("request_type_title") < 0 ? table : throw new ArgumentException(
            "This chart is per department: pass the table computed with MetricGrouping.Department, not the per-type one.", nameof(table));
    }

    /// <summary>The table's columns, after checking <paramref name="required"/> are there.</summary>
    private static DataFrameColumnCollection Columns(DataFrame table, params string[] required)
    {
        ArgumentNullException.ThrowIfNull(table);
        foreach (var name in required)
        {
            if (table.Columns.IndexOf(name) < 0)
            {
                throw new ArgumentException($"The table has no column '{name}': pass the DataFrame the matching IssueMetrics method returns.", nameof(table));
            }
        }
        return table.Columns;
    }
}
