using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using Newtonsoft.Json;
using Plotly.NET;

namespace ServiceRequests.Reports;

/// <summary>
/// Notebook outputs that work offline, the same in VS Code (Polyglot Notebooks or the Jupyter
/// extension), JupyterLab, dotnet-repl and the project's headless report: a DataFrame as a styled
/// HTML table with a row limit and a note of the total (and as plain text); a Plotly.NET chart as
/// a Plotly figure (<c>application/vnd.plotly.v1+json</c>, which VS Code draws with its own
/// plotly.js), as HTML with plotly.js taken from Plotly.NET's own embedded copy (no CDN), and as
/// plain text.
/// </summary>
public static class ReportFormatters
{
    /// <summary>Rows of a DataFrame shown before the table is cut (the note gives the total).</summary>
    public const int DefaultMaxRows = 40;

    /// <summary>
    /// The MIME type of a Plotly figure: a JSON object with <c>data</c>, <c>layout</c> and
    /// <c>config</c>, which VS Code's notebook renderers and JupyterLab's plotly extension draw.
    /// </summary>
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    /// <summary>The style sheet of the tables <see cref="TableHtml"/> writes (class <c>sr-table</c>).</summary>
    public const string TableStyle =
        ".sr-table{border-collapse:collapse;font:13px/1.4 system-ui,sans-serif;margin:.5em 0;max-width:100%}" +
        ".sr-table th,.sr-table td{border:1px solid #d0d7de;padding:3px 8px;overflow-wrap:anywhere}" +
        ".sr-table th{background:#f3f4f6;text-align:left;vertical-align:bottom;position:sticky;top:0;overflow-wrap:normal}" +
        ".sr-table td.num{text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal}.sr-table td.date{white-space:nowrap}" +
        ".sr-table tr:nth-child(even) td{background:#fafbfc}" +
        ".sr-table td.null{color:#9ca3af}" +
        ".sr-table.sr-wide{font-size:11px}.sr-table.sr-wide th,.sr-table.sr-wide td{padding:2px 3px}" +
        ".sr-table tr.sr-provisional td{color:#6b7280;font-style:italic}.sr-table td.sr-mark{white-space:nowrap}" +
        ".sr-note{font:12px system-ui,sans-serif;color:#57606a;margin:0 0 1em}";

    /// <summary>
    /// The column that marks a row as provisional (see <see cref="MarkProvisional"/>): where it holds
    /// text, <see cref="TableHtml"/> greys the row and says why below the table.
    /// </summary>
    public const string ProvisionalColumn = "provisional";

    /// <summary>Above this many columns a table is set smaller so that it fits the page.</summary>
    private const int WideColumns = 10;

    /// <summary>Above this many columns a table is split into parts, one below the other, that fit the page.</summary>
    private const int MaxColumns = 14;

    private static readonly Lazy<string> PlotlyScript = new(ReadPlotlyJs);
    private static int _plotlyEmitted;

    /// <summary>
    /// The plotly.js that Plotly.NET carries (<c>plotly-2.28.0.min.js</c> in Plotly.NET 6.0.0), for
    /// inlining once in a page.
    /// </summary>
    public static string PlotlyJs => PlotlyScript.Value;

    /// <summary>
    /// Registers the formatters for <see cref="DataFrame"/> (<c>text/html</c>, <c>text/plain</c>)
    /// and <see cref="GenericChart"/> (<see cref="PlotlyMimeType"/>, <c>text/html</c>,
    /// <c>text/plain</c>) with .NET Interactive's <see cref="Formatter"/>, and makes those the MIME
    /// types a displayed table or chart carries, so a notebook shows tables and plots instead of
    /// object trees. The first chart formatted as HTML after this call carries plotly.js, so charts
    /// draw without internet wherever HTML is shown. Call it once at the top of a notebook.
    /// </summary>
    /// <param name="maxRows">Rows shown per table.</param>
    public static void Register(int maxRows = DefaultMaxRows)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        FSharpCoreBinding.Install();
        Interlocked.Exchange(ref _plotlyEmitted, 0);
        Formatter.SetPreferredMimeTypesFor(typeof(DataFrame), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(TableHtml(frame, maxRows)), HtmlFormatter.MimeType);
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(TableText(frame, maxRows)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), PlotlyMimeType, HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartJson(chart)), PlotlyMimeType);
        Formatter.Register<GenericChart>(
            (chart, writer) => writer.Write(ChartHtml(chart, includePlotlyJs: Interlocked.Exchange(ref _plotlyEmitted, 1) == 0)),
            HtmlFormatter.MimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(ChartText(chart)), PlainTextFormatter.MimeType);
    }

    /// <summary>
    /// A DataFrame as an HTML table (class <c>sr-table</c>, with its style sheet) that fits its
    /// page: headers break after <c>_</c> and <c>-</c>, long text wraps, a table of many columns is
    /// set smaller, and one of more columns than a page holds is split into parts one below the
    /// other, each repeating the first column (and the provisional mark). The first <paramref name="maxRows"/> rows, then a note "showing N of M rows"
    /// when rows were left out. Numbers are right-aligned in the invariant culture; nulls are shown
    /// as an empty, grey cell; a date column shows dates (with the time of day only when one of its
    /// values has one). Rows whose <see cref="ProvisionalColumn"/> holds text are grey and italic,
    /// with a note below the table. A table without rows is a sentence saying so.
    /// </summary>
    /// <param name="frame">The table.</param>
    /// <param name="maxRows">Rows shown.</param>
    public static string TableHtml(DataFrame frame, int maxRows = DefaultMaxRows)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        var html = new StringBuilder();
        if (frame.Rows.Count == 0)
        {
            // A header without rows reads as a broken table: say it in a sentence.
            return html.Append("<style>").Append(TableStyle).Append("</style><p class=\"sr-note sr-empty\">No rows: nothing in this table's range matched (columns: ")
                .Append(WebUtility.HtmlEncode(string.Join(", ", frame.Columns.Select(c => c.Name)))).Append(").</p>").ToString();
        }
        html.Append("<style>").Append(TableStyle).Append("</style>");
        var shown = Math.Min(frame.Rows.Count, maxRows);
        var provisional = frame.Columns.IndexOf(ProvisionalColumn) is var p && p >= 0 && frame.Columns[p] is StringDataFrameColumn mark ? mark : null;
        var timeOfDay = frame.Columns.Select(HasTimeOfDay).ToList();
        // Too many columns for a page: split them into parts stacked one below the other, each
        // repeating the row's name (and its provisional mark).
        var keys = Enumerable.Range(0, frame.Columns.Count).Where(c => c == 0 || ReferenceEquals(frame.Columns[c], provisional)).ToList();
        var rest = Enumerable.Range(0, frame.Columns.Count).Except(keys).ToList();
        var parts = frame.Columns.Count > MaxColumns ? (rest.Count + MaxColumns - keys.Count - 1) / (MaxColumns - keys.Count) : 1;
        var perPart = (rest.Count + parts - 1) / parts;
        var provisionalRows = 0;
        for (var part = 0; part < parts; part++)
        {
            var columns = parts == 1 ? Enumerable.Range(0, frame.Columns.Count).ToList() : [.. keys, .. rest.Skip(part * perPart).Take(perPart)];
            html.Append("<table class=\"sr-table").Append(columns.Count > WideColumns ? " sr-wide" : "").Append('"');
            if (parts > 1)
            {
                html.Append(CultureInfo.InvariantCulture, $" data-part=\"{part + 1}/{parts}\"");
            }
            html.Append("><thead><tr>");
            foreach (var c in columns)
            {
                html.Append("<th>").Append(BreakableHeader(frame.Columns[c].Name)).Append("</th>");
            }
            html.Append("</tr></thead><tbody>");
            for (long row = 0; row < shown; row++)
            {
                var isProvisional = provisional?[row] is { Length: > 0 };
                provisionalRows += isProvisional && part == 0 ? 1 : 0;
                html.Append(isProvisional ? "<tr class=\"sr-provisional\">" : "<tr>");
                foreach (var c in columns)
                {
                    var column = frame.Columns[c];
                    var value = column[row];
                    html.Append(value is null ? "<td class=\"null\">" : ReferenceEquals(column, provisional) ? "<td class=\"sr-mark\">" : IsNumeric(column) ? "<td class=\"num\">"
                            : value is DateTime || value is string text && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? "<td class=\"date\">" : "<td>")
                        .Append(WebUtility.HtmlEncode(Text(value, timeOfDay[c]))).Append("</td>");
                }
                html.Append("</tr>");
            }
            html.Append("</tbody></table>");
        }
        if (shown < frame.Rows.Count)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"sr-note\">showing {shown:N0} of {frame.Rows.Count:N0} rows</p>");
        }
        if (provisionalRows > 0)
        {
            html.Append("<p class=\"sr-note sr-provisional-note\">Grey, italic rows are <em>provisional</em>: not all of their issues are closed yet, ")
                .Append("so their closing figures (days to close, share within SLA) count only the issues closed so far and will change.</p>");
        }
        return html.ToString();
    }

    /// <summary>
    /// A copy of <paramref name="frame"/> with a <see cref="ProvisionalColumn"/> after its first
    /// column: "<c>7 of 35 closed</c>" on the rows where fewer issues are closed than were created
    /// (their closing figures are not final), empty on the others. The other columns and their
    /// values are unchanged; <see cref="TableHtml"/> greys the marked rows.
    /// </summary>
    /// <param name="frame">A table with a count of issues and of closed issues per row.</param>
    /// <param name="issuesColumn">The column counting the row's issues.</param>
    /// <param name="closedColumn">The column counting those closed.</param>
    /// <exception cref="ArgumentException">A column is missing.</exception>
    public static DataFrame MarkProvisional(DataFrame frame, string issuesColumn = "num_issues", string closedColumn = "num_closed")
    {
        ArgumentNullException.ThrowIfNull(frame);
        foreach (var name in new[] { issuesColumn, closedColumn })
        {
            if (frame.Columns.IndexOf(name) < 0)
            {
                throw new ArgumentException($"The table has no column '{name}' to tell which rows are provisional.", nameof(frame));
            }
        }
        var marks = new StringDataFrameColumn(ProvisionalColumn, frame.Rows.Count);
        for (long row = 0; row < frame.Rows.Count; row++)
        {
            if (frame[issuesColumn][row] is { } issues && frame[closedColumn][row] is { } closed)
            {
                var (n, x) = (Convert.ToInt64(issues, CultureInfo.InvariantCulture), Convert.ToInt64(closed, CultureInfo.InvariantCulture));
                marks[row] = x < n ? string.Create(CultureInfo.InvariantCulture, $"{x:N0} of {n:N0} closed") : null;
            }
        }
        var columns = frame.Columns.Select(c => c.Clone()).ToList();
        columns.Insert(Math.Min(1, columns.Count), marks);
        return new DataFrame(columns);
    }

    /// <summary>A column name as HTML that may break after <c>_</c> and <c>-</c>, so a long name wraps instead of widening its column.</summary>
    private static string BreakableHeader(string name) =>
        WebUtility.HtmlEncode(name).Replace("_", "_<wbr>", StringComparison.Ordinal).Replace("-", "-<wbr>", StringComparison.Ordinal);

    private static bool HasTimeOfDay(DataFrameColumn column)
    {
        if (column.DataType != typeof(DateTime))
        {
            return false;
        }
        for (long row = 0; row < column.Length; row++)
        {
            if (column[row] is DateTime t && t.TimeOfDay != TimeSpan.Zero)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A DataFrame as plain text: a header line and the first <paramref name="maxRows"/> rows in
    /// columns padded to their widest value (numbers right-aligned, values as in
    /// <see cref="TableHtml"/>), then "showing N of M rows" when rows were left out.
    /// </summary>
    /// <param name="frame">The table.</param>
    /// <param name="maxRows">Rows shown.</param>
    internal static string TableText(DataFrame frame, int maxRows = DefaultMaxRows)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRows);
        var shown = (int)Math.Min(frame.Rows.Count, maxRows);
        var columns = frame.Columns.Select(column => (
            Numeric: IsNumeric(column),
            Cells: new[] { column.Name }.Concat(Enumerable.Range(0, shown).Select(row => Text(column[row], HasTimeOfDay(column)))).ToArray())).ToList();
        var widths = columns.Select(c => c.Cells.Max(cell => cell.Length)).ToList();
        var text = new StringBuilder();
        for (var line = 0; line <= shown; line++)
        {
            var cells = columns.Select((c, i) => c.Numeric && line > 0 ? c.Cells[line].PadLeft(widths[i]) : c.Cells[line].PadRight(widths[i]));
            text.Append(string.Join("  ", cells).TrimEnd()).Append('\n');
        }
        if (shown < frame.Rows.Count)
        {
            text.Append(CultureInfo.InvariantCulture, $"showing {shown:N0} of {frame.Rows.Count:N0} rows\n");
        }
        return text.ToString();
    }

    /// <summary>
    /// A chart as a Plotly figure, the <see cref="PlotlyMimeType"/> payload: <c>{"data": [...],
    /// "layout": {...}, "config": {...}}</c>, the same traces and layout as <see cref="ChartHtml"/>.
    /// </summary>
    /// <param name="chart">The chart.</param>
    internal static string ChartJson(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return JsonConvert.SerializeObject(new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["data"] = GenericChart.getTraces(chart).Select(Plain).ToList(),
            ["layout"] = Plain(GenericChart.getLayout(chart)),
            ["config"] = Plain(GenericChart.getConfig(chart)),
        });
    }

    /// <summary>A chart in one line of plain text: its title and how many traces it draws.</summary>
    /// <param name="chart">The chart.</param>
    internal static string ChartText(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var traces = GenericChart.getTraces(chart).Length;
        var title = GenericChart.getLayout(chart).TryGetTypedPropertyValue<DynamicObj.DynamicObj>("title") is { } t && t.Value.TryGetTypedPropertyValue<string>("text") is { } text
            ? text.Value
            : "untitled";
        return string.Create(CultureInfo.InvariantCulture, $"Plotly chart: {title} ({traces} trace{(traces == 1 ? "" : "s")})");
    }

    /// <summary>
    /// A chart as HTML: its div and the script that draws it (the shape of
    /// <c>GenericChart.toChartHTML</c>: traces, layout and config as JSON, then <c>Plotly.newPlot</c>),
    /// preceded by the whole plotly.js when <paramref name="includePlotlyJs"/> (once per page).
    /// </summary>
    /// <remarks>
    /// The JSON is written from the chart's dynamic properties: Plotly.NET's own serializer takes
    /// about 0.3 s per chart for the layout alone (the same JSON in a few milliseconds here).
    /// </remarks>
    /// <param name="chart">The chart.</param>
    /// <param name="includePlotlyJs">Whether to inline plotly.js before the chart.</param>
    public static string ChartHtml(GenericChart chart, bool includePlotlyJs = false)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var id = Guid.NewGuid().ToString("N");
        var data = Json(GenericChart.getTraces(chart).Select(Plain).ToList());
        var layout = Json(Plain(GenericChart.getLayout(chart)));
        var config = Json(Plain(GenericChart.getConfig(chart)));
        var div = $"<div><div id=\"{id}\"></div><script type=\"text/javascript\">var renderPlotly_{id} = function() {{\n" +
                  $"var data = {data};\nvar layout = {layout};\nvar config = {config};\nPlotly.newPlot('{id}', data, layout, config);\n}};\nrenderPlotly_{id}();\n</script></div>";
        return includePlotlyJs ? PlotlyScriptTag() + div : div;
    }

    /// <summary>JSON safe inside a script element (&lt;, &gt;, &amp; and quotes escaped).</summary>
    private static string Json(object? value) =>
        JsonConvert.SerializeObject(value, new JsonSerializerSettings { StringEscapeHandling = StringEscapeHandling.EscapeHtml });

    /// <summary>A Plotly.NET object as plain dictionaries and lists of its dynamic properties.</summary>
    private static object? Plain(object? value) => value switch
    {
        DynamicObj.DynamicObj o => o.GetProperties(true).ToDictionary(p => p.Key, p => Plain(p.Value), StringComparer.Ordinal),
        string or IDictionary<string, object> => value,
        System.Collections.IEnumerable items when items.Cast<object?>().Any(i => i is DynamicObj.DynamicObj) => items.Cast<object?>().Select(Plain).ToList(),
        _ => value,
    };

    /// <summary>
    /// plotly.js inside a <c>script</c> element, with <c>define</c>, <c>exports</c> and
    /// <c>module</c> hidden so that it sets <c>window.Plotly</c> even on a page with an AMD loader
    /// (require.js, as classic Jupyter has), where it would otherwise register as a module only.
    /// </summary>
    public static string PlotlyScriptTag() =>
        "<script type=\"text/javascript\">(function (define, exports, module) {\n" + PlotlyJs + "\n})();</script>";

    private static bool IsNumeric(DataFrameColumn column) =>
        column.DataType != typeof(string) && column.DataType != typeof(DateTime) && column.DataType != typeof(bool);

    private static string Text(object? value, bool timeOfDay = false) => value switch
    {
        null => "",
        DateTime t => timeOfDay
            ? t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => double.IsNaN(d) ? "" : Math.Round(d, 2).ToString("0.##", CultureInfo.InvariantCulture),
        float f => Math.Round(f, 2).ToString("0.##", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string ReadPlotlyJs()
    {
        var assembly = typeof(GenericChart).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("Plotly.NET.plotly-", StringComparison.Ordinal) && n.EndsWith(".min.js", StringComparison.Ordinal))
            .ToList();
        if (names.Count != 1)
        {
            throw new InvalidOperationException(
                $"Expected one embedded plotly.js in {assembly.GetName().Name} {assembly.GetName().Version}, found {names.Count}: the Plotly.NET version is not the one this project pins.");
        }
        using var stream = assembly.GetManifestResourceStream(names[0])!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
