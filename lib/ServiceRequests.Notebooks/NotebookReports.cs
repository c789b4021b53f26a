using System.Diagnostics;
using System.Globalization;

namespace ServiceRequests.Notebooks;

/// <summary>
/// The <c>report</c> job: runs every notebook of a folder (or one notebook) with the given
/// parameter values through <see cref="NotebookRunner"/>, and writes per notebook the executed
/// <c>.ipynb</c> and its self-contained HTML page (<see cref="ReportPage"/>). A failing cell stops
/// its notebook (a partial report, the error on <c>error</c>) but not the others.
/// </summary>
internal static class NotebookReports
{
    /// <summary>
    /// Runs the notebooks and writes their reports; returns the runs (a run with a failure wrote a
    /// partial report). The notebooks' live sources (<see cref="IssueData.LoadAsync"/> without
    /// options of their own) are retried as <paramref name="retry"/> says.
    /// </summary>
    public static async Task<IReadOnlyList<NotebookRun>> RunAsync(string notebooks, string outFolder, IReadOnlyList<string> parameters, TextWriter output, TextWriter error,
        Http.RetryOptions retry, CancellationToken cancel)
    {
        var paths = Find(notebooks);
        var values = parameters.Select(NotebookParameters.Parse).ToList();
        var declared = paths.ToDictionary(p => p, p => DeclaredParameters(p));
        var unknown = values.Select(v => v.Key).Where(name => !declared.Values.Any(d => d.ContainsKey(name))).Distinct().ToList();
        if (unknown.Count > 0)
        {
            var known = declared.Values.SelectMany(d => d.Keys).Distinct().Order(StringComparer.Ordinal);
            throw new ServiceRequestsException($"Parameter {string.Join(", ", unknown)}: no notebook declares it; the parameters are {string.Join(", ", known)}.");
        }
        foreach (var (name, value) in values)
        {
            if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                && (uri.UserInfo.Length > 0 || ReportOutput.SafeAddress(uri).Contains("=***", StringComparison.Ordinal)))
            {
                throw new ServiceRequestsException(
                    $"Parameter {name}: the address carries credentials ({ReportOutput.SafeAddress(uri)}); they would be written into the executed notebook and the report. " +
                    "Give the address without them and put the Socrata app token in SOCRATA_APP_TOKEN.");
            }
        }
        if (values.LastOrDefault(v => v.Key == SourceParameter) is { Key: not null } source)
        {
            CheckSourceFile(source.Value);
        }
        foreach (var path in paths)
        {
            // Check every value against its declared type before anything runs.
            NotebookParameters.InjectedSource(Path.GetFileNameWithoutExtension(path), declared[path], values.Where(v => declared[path].ContainsKey(v.Key)), ParameterRanges(path));
        }
        await CheckRangeAsync(values, cancel);
        ReportOutput.CreateFolder(outFolder);
        using var defaults = IssueData.UseDefaults(retry, cancel);
        // Notebooks run side by side (one kernel each, as many at once as there are cores): one line
        // per notebook when it is done, not a line per cell (those would interleave).
        output = TextWriter.Synchronized(output);
        error = TextWriter.Synchronized(error);
        output.WriteLine($"running {paths.Count} notebook(s): {string.Join(", ", paths.Select(Path.GetFileNameWithoutExtension))}");
        var runner = new NotebookRunner(TextWriter.Null);
        var runs = new NotebookRun[paths.Count];
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, paths.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, async (i, token) =>
        {
            var path = paths[i];
            var run = runs[i] = await runner.RunAsync(path, [.. values.Where(v => declared[path].ContainsKey(v.Key))], token);
            var ipynb = Path.Combine(outFolder, run.Name + ".ipynb");
            var html = Path.Combine(outFolder, run.Name + ".html");
            // Whatever a cell printed or threw, no credential reaches the files.
            NotebookFile.Write(run.Notebook, ipynb);
            ReportOutput.WriteScrubbed(html, ReportPage.Render(run, DateTime.UtcNow));
            if (run.Failure is { } failure)
            {
                error.WriteLine($"error: {failure}");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {run.Name}: partial report {html} ({run.Elapsed.TotalSeconds:F1} s)"));
            }
            else
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {run.Name}: {run.Cells.Count} cells ok, wrote {html} and {ipynb} ({run.Elapsed.TotalSeconds:F1} s)"));
            }
        });
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{runs.Count(r => r.Failure is null)} of {paths.Count} notebook(s) ran in {watch.Elapsed.TotalSeconds:F1} s; reports in {Path.GetFullPath(outFolder)}"));
        return runs;
    }

    /// <summary>The notebooks' parameter naming what they load (what IssueData.LoadAsync takes).</summary>
    private const string SourceParameter = "source";

    /// <summary>
    /// A local file given as the source (a <c>.json</c> or <c>.gz</c> name, or any existing file) is
    /// loaded once before any notebook runs, so a file that is missing, not gzip, not the portal's
    /// JSON or holds no issues is one line naming it, not a failure in every notebook.
    /// </summary>
    private static void CheckSourceFile(string source)
    {
        var dataFile = source.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || source.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || File.Exists(source);
        if (!dataFile || Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return;
        }
        try
        {
            if (IssueData.LoadFile(source).Rows.Count == 0)
            {
                throw new ServiceRequestsException($"'{source}' holds no issues (an empty array); the reports need at least one.");
            }
        }
        catch (ServiceRequestsException e)
        {
            throw new ServiceRequestsException($"Parameter {SourceParameter}: {e.Message}", e);
        }
    }

    /// <summary>
    /// A range given with <c>from</c> or <c>to</c> must lie within the data's creation dates: for the
    /// bundled sample or a local file (loaded here, the metrics' columns only) that is checked before
    /// any notebook runs, so a range that holds no data is one line naming both ranges, not four
    /// reports of empty charts. A live source is checked by each notebook when it loads.
    /// </summary>
    private static async Task CheckRangeAsync(IReadOnlyList<KeyValuePair<string, string>> values, CancellationToken cancel)
    {
        DateOnly? Date(string name) => values.LastOrDefault(v => v.Key == name) is { Key: not null } v && v.Value.Trim() is { Length: > 0 } text && text != "null"
            ? DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;
        var (from, to) = (Date("from"), Date("to"));
        var source = values.LastOrDefault(v => v.Key == SourceParameter) is { Key: not null } s ? s.Value : "sample";
        if (from is null && to is null || source != "sample" && !File.Exists(source))
        {
            return;
        }
        var issues = await IssueData.LoadAsync(source, new IssueLoadOptions { Columns = Metrics.IssueMetrics.InputColumns }, cancel);
        new Metrics.IssueMetrics(issues, Metrics.SlaTable.LoadBundled()).CheckRange(from, to);
    }

    private static List<string> Find(string notebooks)
    {
        if (File.Exists(notebooks))
        {
            return [notebooks];
        }
        if (!Directory.Exists(notebooks))
        {
            throw new ServiceRequestsException($"No notebook or notebook folder '{Path.GetFullPath(notebooks)}'.");
        }
        var paths = Directory.GetFiles(notebooks, "*.ipynb").Order(StringComparer.Ordinal).ToList();
        return paths.Count > 0 ? paths : throw new ServiceRequestsException($"No .ipynb notebooks in '{Path.GetFullPath(notebooks)}'.");
    }

    private static IReadOnlyDictionary<string, string> DeclaredParameters(string path) => NotebookParameters.Declared(ParametersCell(path));

    private static IReadOnlyDictionary<string, (long Min, long Max)> ParameterRanges(string path) => NotebookParameters.Ranges(ParametersCell(path));

    /// <summary>The source of the notebook's parameters cell, or "" when it has none.</summary>
    private static string ParametersCell(string path)
    {
        var cell = NotebookFile.Read(path).Elements.FirstOrDefault(c => NotebookFile.IsCode(c) && NotebookFile.HasTag(c, NotebookParameters.Tag));
        return cell is null ? "" : cell.Contents;
    }
}
