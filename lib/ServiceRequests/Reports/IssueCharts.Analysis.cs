using System.Globalization;
using Microsoft.Data.Analysis;
using Plotly.NET;
using ServiceRequests.Metrics;

namespace ServiceRequests.Reports;

/// <summary>Charts of the censoring-aware tables, the backlog and the change flags, readable with 30 and more request types.</summary>
public static partial class IssueCharts
{
    /// <summary>
    /// A heatmap of issues opened per request type (rows, most issues at the top) and period
    /// (columns), from <see cref="IssueMetrics.OpenedByWeek"/> or <see cref="IssueMetrics.OpenedByMonth"/>:
    /// every type stays readable however many there are. Types without issues are left out.
    /// </summary>
    /// <param name="opened">The opened-by-period table.</param>
    /// <param name="title">Chart title.</param>
    /// <exception cref="ArgumentException">The table is not an opened-by-period table.</exception>
    public static GenericChart OpenedHeatmap(DataFrame opened, string title = "Issues opened per week, every request type")
    {
        var periods = Columns(opened, "request_type_title", "total").Where(c => c.Name is not ("request_type_title" or "total")).ToList();
        var rows = Enumerable.Range(0, (int)opened.Rows.Count)
            .Where(r => (string)opened["request_type_title"][r] != IssueMetrics.AllTypes && Convert.ToInt64(opened["total"][r], CultureInfo.InvariantCulture) > 0)
            .OrderBy(r => Convert.ToInt64(opened["total"][r], CultureInfo.InvariantCulture)).ThenByDescending(r => (string)opened["request_type_title"][r], StringComparer.Ordinal)
            .ToList();
        return Heatmap(title, "issues opened",
            periods.Select(c => c.Name).ToList(),
            rows.Select(r => (string)opened["request_type_title"][r]).ToList(),
            rows.Select(r => periods.Select(c => Number(c[r])).ToArray()).ToList(),
            "counts", zMin: 0, zMax: null, xTitle: "period", yTitle: "request type");
    }

    /// <summary>
    /// The evidence behind <see cref="IssueMetrics.Changes"/> for one metric and one test (the window of
    /// the latest weeks, or the latest week alone), one line per tested request type: a grey bar for what
    /// the baseline makes expected (for issues opened, the 95 % range of the tested weeks' weekly mean; for
    /// shares and medians, the 95 % interval of the baseline), a tick at the baseline, and a dot for the
    /// tested weeks or cohorts with its 95 % interval; vermilion dots are flagged changes, blue ones tested
    /// without change (colour-blind-safe). Issues opened are drawn relative to each type's baseline (×, log
    /// scale) so that large and small types share one axis; medians on a log scale of days; shares in %.
    /// Rows not tested (too few, no SLA) are left out (with none left, the chart says so); a median not
    /// reached is a ▶ at its lower limit (at least that long).
    /// </summary>
    /// <param name="changes">The changes table.</param>
    /// <param name="metric"><see cref="IssueMetrics.IssuesOpened"/>, <see cref="IssueMetrics.PercWithinSla"/> or <see cref="IssueMetrics.MedianDaysToClose"/>.</param>
    /// <param name="test"><c>window</c> (the latest weeks as one unit; a table of a one-week window has only week rows, which are drawn) or <c>week</c> (the latest week alone).</param>
    /// <exception cref="ArgumentException">The table is not a changes table, or the metric or test is not one of its own.</exception>
    public static GenericChart ChangeRanges(DataFrame changes, string metric = IssueMetrics.IssuesOpened, string test = "window")
    {
        var t = changes;
        Columns(t, "request_type_title", "metric", "test", "week_start", "weeks", "value", "value_low", "value_high", "baseline", "baseline_low", "baseline_high", "p_value", "flagged");
        if (metric is not (IssueMetrics.IssuesOpened or IssueMetrics.PercWithinSla or IssueMetrics.MedianDaysToClose))
        {
            throw new ArgumentException($"'{metric}' is not a metric of IssueMetrics.Changes; pass IssuesOpened, PercWithinSla or MedianDaysToClose.", nameof(metric));
        }
        if (test is not ("window" or "week"))
        {
            throw new ArgumentException($"'{test}' is not a test of IssueMetrics.Changes; pass \"window\" or \"week\".", nameof(test));
        }
        // A window of one week has only week rows: its chart is theirs.
        if (test == "window" && !Enumerable.Range(0, (int)t.Rows.Count).Any(r => (string)t["test"][r] == "window"))
        {
            test = "week";
        }
        var rows = Enumerable.Range(0, (int)t.Rows.Count)
            .Where(r => (string)t["metric"][r] == metric && (string)t["test"][r] == test && t["p_value"][r] is not null)
            .Reverse().ToList();
        var weeks = rows.Count > 0 ? (int)t["weeks"][rows[0]] : 1;
        var relative = metric == IssueMetrics.IssuesOpened;
        double? Scaled(int r, string column) => relative ? Number(t[column][r]) / Number(t["baseline"][r]) : Number(t[column][r]);
        string Weeks(int r)
        {
            var start = Convert.ToDateTime(t["week_start"][r], CultureInfo.InvariantCulture);
            var end = start.AddDays(7 * (int)t["weeks"][r] - 1);
            return (int)t["weeks"][r] == 1
                ? start.ToString("MMM d", CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{start:MMM d}–{end:MMM d}");
        }
        var labels = rows.Select(r => (object)($"{t["request_type_title"][r]} ({Weeks(r)})" + (t["value"][r] is null ? ", not reached" : ""))).ToList();
        var expected = Trace("bar", "expected from the baseline (95 %)", [], null);
        expected.SetProperty("orientation", "h");
        expected.SetProperty("y", labels.ToArray());
        expected.SetProperty("base", rows.Select(r => Scaled(r, "baseline_low")).ToArray());
        expected.SetProperty("x", rows.Select(r => Scaled(r, "baseline_high") - Scaled(r, "baseline_low")).ToArray());
        expected.SetProperty("marker", Object(("color", "rgba(140,140,140,0.35)")));
        expected.SetProperty("width", 0.6);
        expected.SetProperty("hoverinfo", "skip");
        var baseline = Trace("scatter", "baseline (the weeks before the window)", [], null);
        baseline.SetProperty("mode", "markers");
        baseline.SetProperty("y", labels.ToArray());
        baseline.SetProperty("x", rows.Select(r => Scaled(r, "baseline")).ToArray());
        baseline.SetProperty("marker", Object(("symbol", "line-ns-open"), ("size", 16), ("color", "#555")));
        var traces = new List<Trace> { expected, baseline };
        foreach (var flagged in new[] { false, true })
        {
            var subset = rows.Where(r => (bool)t["flagged"][r] == flagged).ToList();
            var dots = Trace("scatter", flagged ? "changed (flagged)" : "tested, no change", [], null);
            dots.SetProperty("mode", "markers");
            dots.SetProperty("y", subset.Select(r => labels[rows.IndexOf(r)]).ToArray());
            // A median not reached is drawn as ▶ at its lower limit: at least that long.
            dots.SetProperty("x", subset.Select(r => Scaled(r, "value") ?? Scaled(r, "value_low")).ToArray());
            dots.SetProperty("marker", Object(("size", 10), ("color", flagged ? "#D55E00" : "#0072B2"),
                ("symbol", subset.Select(r => t["value"][r] is null ? "triangle-right" : "circle").ToArray())));
            if (!relative)
            {
                dots.SetProperty("error_x", Object(("type", "data"), ("symmetric", false),
                    ("array", subset.Select(r => Number(t["value_high"][r]) - Number(t["value"][r])).ToArray()),
                    ("arrayminus", subset.Select(r => Number(t["value"][r]) - Number(t["value_low"][r])).ToArray())));
            }
            traces.Add(dots);
        }
        var (tested, cohorts) = test == "window" ? ($"the latest {weeks} weeks", $"the latest {weeks} final cohorts") : ("the latest week", "the latest final cohort");
        var (title, axis) = metric switch
        {
            IssueMetrics.IssuesOpened => ($"Issues opened in {tested}, relative to the weeks before the window",
                "issues a week ÷ the baseline's weekly mean (log scale)"),
            IssueMetrics.PercWithinSla => ($"Share closed within SLA: {cohorts} against the cohorts before the window", "% closed within SLA"),
            _ => ($"Median days to close (Kaplan–Meier): {cohorts} against the cohorts before the window", "median days to close (log scale)"),
        };
        var heading = rows.Count == 0 ? title + " (no row had enough issues to test)" : title;
        var layout = Layout(heading, axis, "", barMode: "overlay");
        layout.SetProperty("height", Math.Max(360, 170 + rows.Count * 26));
        layout.SetProperty("yaxis", Object(("automargin", true), ("title", Object(("text", test == "window" ? "request type (weeks tested)" : "request type (week tested)")))));
        var xAxis = Object(("title", Object(("text", axis))));
        if (metric != IssueMetrics.PercWithinSla)
        {
            LogAxis(xAxis, ratio: relative);
        }
        layout.SetProperty("xaxis", xAxis);
        layout.SetProperty("legend", Object(("orientation", "h"), ("x", 0), ("y", 1.0), ("yanchor", "bottom")));
        layout.SetProperty("title", Object(("text", heading), ("y", 0.98), ("yanchor", "top")));
        layout.SetProperty("margin", Object(("t", 110)));
        return Chart(traces, layout);
    }

    /// <summary>
    /// Kaplan–Meier median days to close with their 95 % intervals, one line per group of
    /// <see cref="IssueMetrics.TimeToCloseSurvival"/> (request types or departments, the longest at
    /// the top). A group whose median is not reached (fewer than half closed) has no dot and says
    /// so in its label; an interval without an upper end runs to the edge.
    /// </summary>
    /// <param name="survival">The survival table.</param>
    /// <exception cref="ArgumentException">The table is not a survival table.</exception>
    public static GenericChart SurvivalMedians(DataFrame survival)
    {
        var t = survival;
        Columns(t, "median_days", "median_low", "median_high", "num_issues");
        var key = t.Columns[0].Name;
        var rows = Enumerable.Range(0, (int)t.Rows.Count).Where(r => Convert.ToInt32(t["num_issues"][r], CultureInfo.InvariantCulture) > 0)
            .OrderBy(r => Number(t["median_days"][r]) ?? double.MaxValue).ToList();
        var right = rows.Select(r => Number(t["median_high"][r]) ?? Number(t["median_days"][r]) ?? 0).DefaultIfEmpty(1).Max() * 1.2;
        var left = rows.Select(r => Number(t["median_low"][r]) ?? Number(t["median_days"][r]) ?? right).DefaultIfEmpty(1).Min() / 1.2;
        var labels = rows.Select(r => (object)(Convert.ToString(t[key][r], CultureInfo.InvariantCulture) + (t["median_days"][r] is null ? " (not reached)" : ""))).ToArray();
        var dots = Trace("scatter", "median (95 % interval)", [], null);
        dots.SetProperty("mode", "markers");
        dots.SetProperty("y", labels);
        dots.SetProperty("x", rows.Select(r => Number(t["median_days"][r])).ToArray());
        dots.SetProperty("marker", Object(("size", 9), ("color", "#4e79a7")));
        dots.SetProperty("error_x", Object(("type", "data"), ("symmetric", false),
            ("array", rows.Select(r => (Number(t["median_high"][r]) ?? right) - Number(t["median_days"][r])).ToArray()),
            ("arrayminus", rows.Select(r => Number(t["median_days"][r]) - Number(t["median_low"][r])).ToArray())));
        var layout = Layout("Median days to close, counting issues still open (Kaplan–Meier, 95 % interval)", "days", "");
        layout.SetProperty("height", Math.Max(360, 120 + rows.Count * 22));
        layout.SetProperty("yaxis", Object(("title", Object(("text", key.Replace('_', ' ')))), ("automargin", true)));
        var xAxis = Object(("title", Object(("text", "median days to close (log scale)"))), ("range", new[] { Math.Log10(Math.Max(left, 0.01)), Math.Log10(right) }));
        LogAxis(xAxis);
        layout.SetProperty("xaxis", xAxis);
        return Chart([dots], layout);
    }

    /// <summary>
    /// The Kaplan–Meier median days to close per creation-week cohort
    /// (<see cref="IssueMetrics.TimeToCloseSurvivalByWeek"/>) as a line with its 95 % band; the
    /// recent cohorts whose median is not reached yet are gaps, not short times.
    /// </summary>
    /// <param name="survivalByWeek">The weekly survival table.</param>
    /// <param name="title">Chart title.</param>
    /// <exception cref="ArgumentException">The table is not a weekly survival table.</exception>
    public static GenericChart SurvivalByWeek(DataFrame survivalByWeek, string title = "Median days to close per creation week (Kaplan–Meier, 95 % band)")
    {
        var t = survivalByWeek;
        Columns(t, "week_start", "median_days", "median_low", "median_high");
        var weeks = Enumerable.Range(0, (int)t.Rows.Count).Select(r => (object)((DateTime)t["week_start"][r]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        var high = Trace("scatter", "upper end", weeks, Enumerable.Range(0, weeks.Count).Select(r => Number(t["median_high"][r])));
        high.SetProperty("mode", "lines");
        high.SetProperty("line", Object(("width", 0)));
        high.SetProperty("showlegend", false);
        var low = Trace("scatter", "95 % interval", weeks, Enumerable.Range(0, weeks.Count).Select(r => Number(t["median_low"][r])));
        low.SetProperty("mode", "lines");
        low.SetProperty("fill", "tonexty");
        low.SetProperty("fillcolor", "rgba(78,121,167,0.2)");
        low.SetProperty("line", Object(("width", 0)));
        var median = Trace("scatter", "median", weeks, Enumerable.Range(0, weeks.Count).Select(r => Number(t["median_days"][r])));
        median.SetProperty("mode", "lines+markers");
        median.SetProperty("line", Object(("color", "#4e79a7")));
        return Chart([high, low, median], Layout(title, "week created", "median days to close"));
    }

    /// <summary>
    /// A heatmap of one fixed-age measure of <see cref="IssueMetrics.CohortCompliance"/> (default:
    /// closed within SLA), request types (rows, <see cref="IssueMetrics.AllTypes"/> at the top) by
    /// creation week (columns), orange (low, worse) to blue (high, better). Pending cohorts and types without the
    /// measure are blank.
    /// </summary>
    /// <param name="cohorts">The cohort table.</param>
    /// <param name="measure"><see cref="IssueMetrics.WithinSla"/>, <see cref="IssueMetrics.ClosedWithin7Days"/> or <see cref="IssueMetrics.ClosedWithin30Days"/>.</param>
    /// <exception cref="ArgumentException">The table is not a cohort table, or has no rows of that measure.</exception>
    public static GenericChart CohortHeatmap(DataFrame cohorts, string measure = IssueMetrics.WithinSla)
    {
        var t = cohorts;
        Columns(t, "week_start", "measure", "perc_met", "state");
        var key = t.Columns[1].Name;
        var rows = Enumerable.Range(0, (int)t.Rows.Count).Where(r => (string)t["measure"][r] == measure).ToList();
        if (rows.Count == 0)
        {
            throw new ArgumentException($"The table has no rows of measure '{measure}'; pass a table from IssueMetrics.CohortCompliance and one of its measures.", nameof(measure));
        }
        var weeks = rows.Select(r => (DateTime)t["week_start"][r]).Distinct().Order().ToList();
        var groups = rows.GroupBy(r => (string)t[key][r]).Where(g => g.Any(r => (string)t["state"][r] is "final" or "pending")).ToList();
        groups = [.. groups.OrderBy(g => g.Key == IssueMetrics.AllTypes ? 1 : 0).ThenByDescending(g => g.Key, StringComparer.Ordinal)];
        var z = groups.Select(g =>
        {
            var byWeek = g.ToDictionary(r => (DateTime)t["week_start"][r], r => Number(t["perc_met"][r]));
            return weeks.Select(w => byWeek.GetValueOrDefault(w)).ToArray();
        }).ToList();
        var label = measure switch
        {
            IssueMetrics.WithinSla => "closed within SLA",
            IssueMetrics.ClosedWithin7Days => "closed within 7 days",
            _ => "closed within 30 days",
        };
        return Heatmap($"% of each week's issues {label} (final cohorts; blank: pending or none)", "% " + label,
            weeks.Select(w => w.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(), groups.Select(g => g.Key).ToList(), z, "share", zMin: 0, zMax: 100,
            xTitle: "week created", yTitle: key.Replace('_', ' '));
    }

    /// <summary>
    /// The backlog of all types week by week (<see cref="IssueMetrics.BacklogByWeek"/>, the
    /// <see cref="IssueMetrics.AllTypes"/> rows) as stacked areas by age: 0–7, 8–30, 31–90 and
    /// over 90 days open.
    /// </summary>
    /// <param name="backlogByWeek">The weekly backlog table.</param>
    /// <exception cref="ArgumentException">The table is not a weekly backlog table.</exception>
    public static GenericChart BacklogByAge(DataFrame backlogByWeek)
    {
        var t = backlogByWeek;
        Columns(t, "week_end", "open_0_7_days", "open_8_30_days", "open_31_90_days", "open_over_90_days");
        var key = t.Columns[2].Name;
        var rows = Enumerable.Range(0, (int)t.Rows.Count).Where(r => (string)t[key][r] == IssueMetrics.AllTypes).ToList();
        var weeks = rows.Select(r => (object)((DateTime)t["week_end"][r]).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        var traces = new[]
        {
            ("0–7 days", "open_0_7_days", "#a1caf1"), ("8–30 days", "open_8_30_days", "#4e79a7"),
            ("31–90 days", "open_31_90_days", "#f28e2b"), ("over 90 days", "open_over_90_days", "#be0032"),
        }.Select(s =>
        {
            var area = Trace("scatter", s.Item1, weeks, rows.Select(r => Number(t[s.Item2][r])));
            area.SetProperty("mode", "lines");
            area.SetProperty("stackgroup", "age");
            area.SetProperty("line", Object(("color", s.Item3), ("width", 0.5)));
            return area;
        }).ToList();
        return Chart(traces, Layout("Open issues at the end of each week, by age", "week ending", "open issues"));
    }

    /// <summary>
    /// A heatmap of the backlog per request type or department (rows, largest at the top) and week
    /// (columns) from <see cref="IssueMetrics.BacklogByWeek"/>, the <see cref="IssueMetrics.AllTypes"/>
    /// rows left out. Groups never open are left out.
    /// </summary>
    /// <param name="backlogByWeek">The weekly backlog table.</param>
    /// <exception cref="ArgumentException">The table is not a weekly backlog table.</exception>
    public static GenericChart BacklogHeatmap(DataFrame backlogByWeek)
    {
        var t = backlogByWeek;
        Columns(t, "week_end", "num_open");
        var key = t.Columns[2].Name;
        var rows = Enumerable.Range(0, (int)t.Rows.Count).Where(r => (string)t[key][r] != IssueMetrics.AllTypes).ToList();
        var weeks = rows.Select(r => (DateTime)t["week_end"][r]).Distinct().Order().ToList();
        var groups = rows.GroupBy(r => (string)t[key][r])
            .Select(g => (Name: g.Key, ByWeek: g.ToDictionary(r => (DateTime)t["week_end"][r], r => Number(t["num_open"][r]))))
            .Where(g => g.ByWeek.Values.Any(v => v > 0))
            .OrderBy(g => g.ByWeek.Values.Sum()).ToList();
        return Heatmap($"Open issues at the end of each week per {key.Replace('_', ' ')}", "open issues",
            weeks.Select(w => w.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList(), groups.Select(g => g.Name).ToList(),
            groups.Select(g => weeks.Select(w => g.ByWeek.GetValueOrDefault(w)).ToArray()).ToList(), "backlog", zMin: 0, zMax: null,
            xTitle: "week ending", yTitle: key.Replace('_', ' '));
    }

    /// <summary>A log axis with readable ticks: of days (0.5, 1, 2, 5, 10, ...) or of ratios (0.5, 0.75, 1, 1.5, 2, ...).</summary>
    private static void LogAxis(DynamicObj.DynamicObj axis, bool ratio = false)
    {
        double[] ticks = ratio ? [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4] : [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500];
        axis.SetProperty("type", "log");
        axis.SetProperty("tickvals", ticks);
        axis.SetProperty("ticktext", ticks.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>
    /// The heatmaps' colour scales, low to high, all colour-blind safe: counts on viridis (light to
    /// dark, no good or bad read into it); the backlog light to dark orange (more open is worse);
    /// shares met from orange (low, worse) through light grey to blue (high, better), the hues that
    /// mean worse and better in every chart and map.
    /// </summary>
    private static readonly Dictionary<string, object[][]> ColourScales = new(StringComparer.Ordinal)
    {
        ["counts"] = [[0.0, "#fde725"], [0.25, "#5ec962"], [0.5, "#21918c"], [0.75, "#3b528b"], [1.0, "#440154"]],
        ["backlog"] = [[0.0, "#fff5eb"], [0.5, "#fd8d3c"], [1.0, "#7f2704"]],
        ["share"] = [[0.0, "#b35806"], [0.25, "#f1a340"], [0.5, "#f7f7f7"], [0.75, "#6baed6"], [1.0, "#08519c"]],
    };

    /// <summary>A heatmap of rows (bottom to top, as Plotly draws them) by columns, tall enough for every row's label.</summary>
    private static GenericChart Heatmap(string title, string valueTitle, List<string> columns, List<string> rows, List<double?[]> z, string colourScale, double? zMin, double? zMax,
        string xTitle, string yTitle)
    {
        var heatmap = new Trace2D("heatmap");
        heatmap.SetProperty("x", columns.ToArray());
        heatmap.SetProperty("y", rows.ToArray());
        heatmap.SetProperty("z", z.ToArray());
        heatmap.SetProperty("colorscale", ColourScales[colourScale]);
        if (zMin is { } min)
        {
            heatmap.SetProperty("zmin", min);
        }
        if (zMax is { } max)
        {
            heatmap.SetProperty("zmax", max);
        }
        heatmap.SetProperty("xgap", 1);
        heatmap.SetProperty("ygap", 1);
        heatmap.SetProperty("colorbar", Object(("title", Object(("text", valueTitle)))));
        heatmap.SetProperty("hovertemplate", "%{y}<br>%{x}: %{z}<extra></extra>");
        var layout = Layout(title, xTitle, yTitle);
        layout.SetProperty("height", Math.Max(360, 130 + rows.Count * 20));
        layout.SetProperty("yaxis", Object(("title", Object(("text", yTitle))), ("automargin", true), ("tickfont", Object(("size", 11)))));
        layout.SetProperty("plot_bgcolor", "#f6f6f6");
        return Chart([heatmap], layout);
    }
}
