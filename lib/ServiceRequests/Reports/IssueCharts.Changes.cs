using System.Globalization;
using Microsoft.Data.Analysis;
using Plotly.NET;
using ServiceRequests.Metrics;

namespace ServiceRequests.Reports;

/// <summary>The chart of when each flagged change began.</summary>
public static partial class IssueCharts
{
    /// <summary>
    /// What changed, week by week: one panel per flagged row of <see cref="IssueMetrics.Changes"/> (the
    /// <paramref name="top"/> with the smallest q-values; a type and metric flagged by both tests shows once, as its window),
    /// each with the weekly values from <see cref="IssueMetrics.ChangeSeries"/> over the baseline and the
    /// window, the baseline's value as a grey line, the tested weeks shaded, and the estimated start of the
    /// change as a dashed line. With nothing flagged, the chart's title says so.
    /// </summary>
    /// <param name="series">The weekly values (<see cref="IssueMetrics.ChangeSeries"/>).</param>
    /// <param name="changes">The changes table of the same week (<see cref="IssueMetrics.Changes"/>).</param>
    /// <param name="top">At most this many panels.</param>
    /// <exception cref="ArgumentException">A table is not the one named, or <paramref name="top"/> is below 1.</exception>
    public static GenericChart ChangeTimeline(DataFrame series, DataFrame changes, int top = 6)
    {
        Columns(series, "request_type_title", "metric", "week_start", "part", "value");
        Columns(changes, "request_type_title", "metric", "test", "week_start", "weeks", "baseline", "change_start", "q_value", "flagged");
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        // One panel per type and metric: its window row when flagged (it has the estimated start), else its week row.
        var flagged = Enumerable.Range(0, (int)changes.Rows.Count)
            .Where(r => changes["flagged"][r] is true)
            .GroupBy(r => ((string)changes["request_type_title"][r], (string)changes["metric"][r]))
            .Select(g => (Row: g.OrderBy(r => (string)changes["test"][r] == "window" ? 0 : 1).First(), Q: g.Min(r => (double)changes["q_value"][r])))
            .OrderBy(p => p.Q).Select(p => p.Row)
            .Take(top).ToList();
        var traces = new List<Trace>();
        var shapes = new List<DynamicObj.DynamicObj>();
        var annotations = new List<DynamicObj.DynamicObj>();
        var layout = new Layout();
        for (var k = 0; k < flagged.Count; k++)
        {
            var r = flagged[k];
            var (type, metric) = ((string)changes["request_type_title"][r], (string)changes["metric"][r]);
            var axis = k == 0 ? "" : (k + 1).ToString(CultureInfo.InvariantCulture);
            var points = Enumerable.Range(0, (int)series.Rows.Count)
                .Where(s => (string)series["request_type_title"][s] == type && (string)series["metric"][s] == metric).ToList();
            var weekly = Trace("scatter", "weekly value", points.Select(s => (object)Convert.ToDateTime(series["week_start"][s], CultureInfo.InvariantCulture)),
                points.Select(s => Number(series["value"][s])));
            weekly.SetProperty("mode", "lines+markers");
            weekly.SetProperty("line", Object(("color", "#0072B2")));
            weekly.SetProperty("marker", Object(("color", points.Select(s => (string)series["part"][s] == "window" ? "#D55E00" : "#0072B2").ToArray())));
            weekly.SetProperty("showlegend", false);
            weekly.SetProperty("xaxis", "x" + axis);
            weekly.SetProperty("yaxis", "y" + axis);
            traces.Add(weekly);
            var baselinePoints = points.Where(s => (string)series["part"][s] == "baseline").ToList();
            if (baselinePoints.Count > 0 && Number(changes["baseline"][r]) is { } level)
            {
                var line = Trace("scatter", "baseline", [Convert.ToDateTime(series["week_start"][baselinePoints[0]], CultureInfo.InvariantCulture),
                    Convert.ToDateTime(series["week_start"][baselinePoints[^1]], CultureInfo.InvariantCulture).AddDays(6)], [level, level]);
                line.SetProperty("mode", "lines");
                line.SetProperty("line", Object(("color", "#777777"), ("width", 3)));
                line.SetProperty("showlegend", false);
                line.SetProperty("xaxis", "x" + axis);
                line.SetProperty("yaxis", "y" + axis);
                traces.Add(line);
            }
            var start = Convert.ToDateTime(changes["week_start"][r], CultureInfo.InvariantCulture);
            var end = start.AddDays(7 * (int)changes["weeks"][r]);
            shapes.Add(Object(("type", "rect"), ("xref", "x" + axis), ("yref", $"y{axis} domain"), ("x0", start), ("x1", end), ("y0", 0), ("y1", 1),
                ("fillcolor", "rgba(230,159,0,0.18)"), ("line", Object(("width", 0))), ("layer", "below")));
            if (changes["change_start"][r] is DateTime began)
            {
                shapes.Add(Object(("type", "line"), ("xref", "x" + axis), ("yref", $"y{axis} domain"), ("x0", began), ("x1", began), ("y0", 0), ("y1", 1),
                    ("line", Object(("color", "#D55E00"), ("dash", "dash"), ("width", 2)))));
            }
            var unit = metric switch
            {
                IssueMetrics.IssuesOpened => "issues opened a week",
                IssueMetrics.PercWithinSla => "% of the week's cohort closed within SLA",
                _ => "median days to close of the week's cohort",
            };
            var startText = changes["change_start"][r] is DateTime b ? string.Create(CultureInfo.InvariantCulture, $", began about {b:MMM d}") : "";
            annotations.Add(Object(("text", $"<b>{type}</b>: {unit}{startText}"), ("xref", $"x{axis} domain"), ("yref", $"y{axis} domain"), ("x", 0), ("y", 1.0),
                ("xanchor", "left"), ("yanchor", "bottom"), ("showarrow", false)));
            layout.SetProperty("xaxis" + axis, Object(("type", "date"), ("tickformat", "%b %d"), ("title", Object(("text", "week starting")))));
            layout.SetProperty("yaxis" + axis, Object(("title", Object(("text", metric == IssueMetrics.IssuesOpened ? "issues" : metric == IssueMetrics.PercWithinSla ? "%" : "days"))), ("rangemode", "tozero")));
        }
        var title = flagged.Count == 0
            ? "What changed, week by week (no change flagged)"
            : "What changed, week by week: the baseline (grey line: its level), the tested weeks (shaded) and the estimated start (dashed)";
        layout.SetProperty("title", Object(("text", title)));
        if (flagged.Count == 0)
        {
            layout.SetProperty("xaxis", Object(("title", Object(("text", "week starting")))));
            layout.SetProperty("yaxis", Object(("title", Object(("text", "value")))));
        }
        layout.SetProperty("grid", Object(("rows", Math.Max(1, flagged.Count)), ("columns", 1), ("pattern", "independent"), ("ygap", 0.45)));
        layout.SetProperty("shapes", shapes.ToArray());
        layout.SetProperty("annotations", annotations.ToArray());
        layout.SetProperty("height", Math.Max(320, 90 + 230 * flagged.Count));
        layout.SetProperty("showlegend", false);
        return Chart(traces, layout);
    }
}
