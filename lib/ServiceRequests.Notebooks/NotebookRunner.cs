using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using ServiceRequests.Reports;

namespace ServiceRequests.Notebooks;

/// <summary>
/// Runs a notebook's C# cells top to bottom in .NET Interactive's C# kernel, in this process: the
/// kernel VS Code's Polyglot extension, Jupyter clients and dotnet-repl run, with its
/// <c>display</c> and default imports, so the outputs are the ones those show. What the kernel
/// lacks is added around it: papermill-style parameters (<see cref="NotebookParameters"/>),
/// <c>#r</c> served from this program's own assemblies (<see cref="NotebookReferences"/>: offline,
/// no restore), and errors that name the notebook, the cell and the line. The first failing cell
/// stops the run; its error becomes that cell's output.
/// </summary>
internal sealed class NotebookRunner(TextWriter progress)
{
    /// <summary>
    /// The kernel's script options: private in the kernel, and the only place to ask Roslyn for
    /// debug information and a file name per cell, without which a runtime error has no line.
    /// The kernel offers no public way (no option, property or method reaches its ScriptOptions), so
    /// this reflection is the way taken; KernelSeamTests fails when a kernel update renames or retypes
    /// the field, and a test checks the line, so the loss would be noticed before a release.
    /// </summary>
    internal static readonly FieldInfo? ScriptOptionsField = typeof(CSharpKernel).GetField("_scriptOptions", BindingFlags.NonPublic | BindingFlags.Instance);

    /// <summary>Runs the notebook at <paramref name="path"/> with the given parameter values (names it declares).</summary>
    /// <exception cref="ServiceRequestsException">The file is not an nbformat 4 notebook, or a parameter value that does not fit (see <see cref="NotebookParameters"/>).</exception>
    public async Task<NotebookRun> RunAsync(string path, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var name = Path.GetFileNameWithoutExtension(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var document = NotebookFile.Read(path);
        var labels = PrepareCells(document, name, parameters);
        using var csharp = new CSharpKernel().UseKernelHelpers();
        using var kernel = new CompositeKernel { csharp };
        kernel.DefaultKernelName = csharp.Name;
        CellFailure? failure = null;
        var executionCount = 0;
        var timings = new List<CellTiming>();

        for (var i = 0; i < document.Elements.Count && failure is null; i++)
        {
            var cell = document.Elements[i];
            if (!NotebookFile.IsCode(cell))
            {
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var label = labels[i];
            cell.ExecutionOrder = ++executionCount;
            var cellWatch = Stopwatch.StartNew();
            try
            {
                var (code, assemblies) = NotebookReferences.Serve(cell.Contents);
                csharp.AddAssemblyReferences(assemblies);
                NameCell(csharp, Path.Combine(folder, $"{name}.ipynb[{label}]"));
                var result = await kernel.SendAsync(new SubmitCode(code), cancellationToken);
                failure = Collect(result.Events, cell, name, label);
            }
            catch (NotebookReferenceException e)
            {
                failure = new CellFailure(name, label, e.Line, e.Message);
                cell.Outputs.Add(new ErrorElement(failure.ToString(), "NotebookReferenceError", [failure.ToString()]));
            }
            var timing = new CellTiming(label, cellWatch.Elapsed);
            timings.Add(timing);
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name}: {label} {(failure is null ? "ok" : "FAILED")} ({timing.Elapsed.TotalSeconds:F1} s)"));
        }

        CarryPlotlyJsOnce(document);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var variable in csharp.ScriptState?.Variables ?? [])
        {
            variables[variable.Name] = variable.Value;
        }
        return new NotebookRun(name, document, failure, variables, timings, watch.Elapsed);
    }

    /// <summary>Clears old outputs, adds the injected-parameters cell, and labels each cell by its position in the notebook as written.</summary>
    private static string[] PrepareCells(InteractiveDocument document, string name, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var labels = new List<string>();
        var parametersCell = -1;
        for (var i = 0; i < document.Elements.Count; i++)
        {
            var cell = document.Elements[i];
            labels.Add($"cell {i + 1}");
            cell.Outputs.Clear();
            cell.ExecutionOrder = 0;
            if (parametersCell < 0 && NotebookFile.IsCode(cell) && NotebookFile.HasTag(cell, NotebookParameters.Tag))
            {
                parametersCell = i;
            }
        }
        if (parameters.Count > 0)
        {
            var declaring = parametersCell < 0 ? "" : document.Elements[parametersCell].Contents;
            var metadata = new Dictionary<string, object>(parametersCell < 0 ? [] : document.Elements[parametersCell].Metadata ?? new Dictionary<string, object>(), StringComparer.Ordinal)
            {
                ["tags"] = new[] { NotebookParameters.InjectedTag },
            };
            document.Elements.Insert(parametersCell + 1, new InteractiveDocumentElement(
                NotebookParameters.InjectedSource(name, NotebookParameters.Declared(declaring), parameters, NotebookParameters.Ranges(declaring)), NotebookFile.CSharp)
            {
                Id = NotebookParameters.InjectedTag,
                Metadata = metadata,
            });
            labels.Insert(parametersCell + 1, "injected parameters");
        }
        return [.. labels];
    }

    /// <summary>
    /// Makes the notebook's first chart, and only it, carry plotly.js in its HTML, as a notebook run
    /// alone in the kernel does: with notebooks running side by side in this process, the
    /// formatter's "first chart since Register" belongs to whichever got there first.
    /// </summary>
    private static void CarryPlotlyJsOnce(InteractiveDocument document)
    {
        var script = ReportFormatters.PlotlyScriptTag();
        var first = true;
        foreach (var data in document.Elements.SelectMany(c => c.Outputs).Select(o => o switch { DisplayElement d => d.Data, ReturnValueElement r => r.Data, _ => null }))
        {
            if (data is null || !data.ContainsKey(ReportFormatters.PlotlyMimeType) || data.TryGetValue(HtmlFormatter.MimeType, out var value) is false || value is not string html)
            {
                continue;
            }
            var bare = html.StartsWith(script, StringComparison.Ordinal) ? html[script.Length..] : html;
            data[HtmlFormatter.MimeType] = first ? script + bare : bare;
            first = false;
        }
    }

    /// <summary>Asks the kernel to compile the next cell with debug information under <paramref name="file"/>, so a runtime error names its line.</summary>
    private static void NameCell(CSharpKernel kernel, string file)
    {
        if (ScriptOptionsField?.GetValue(kernel) is ScriptOptions options)
        {
            ScriptOptionsField.SetValue(kernel, options.WithEmitDebugInformation(true).WithFileEncoding(Encoding.UTF8).WithFilePath(file));
        }
    }

    /// <summary>Turns the kernel's events for a cell into the cell's outputs; returns the failure, if the cell failed.</summary>
    private static CellFailure? Collect(IReadOnlyList<KernelEvent> events, InteractiveDocumentElement cell, string notebook, string label)
    {
        CellFailure? failure = null;
        foreach (var e in events)
        {
            switch (e)
            {
                case StandardOutputValueProduced output:
                    cell.Outputs.Add(new TextElement(Plain(output.FormattedValues), "stdout"));
                    break;
                case StandardErrorValueProduced output:
                    cell.Outputs.Add(new TextElement(Plain(output.FormattedValues), "stderr"));
                    break;
                case ReturnValueProduced value:
                    var result = new ReturnValueElement { ExecutionOrder = cell.ExecutionOrder };
                    Fill(result.Data, value.FormattedValues);
                    cell.Outputs.Add(result);
                    break;
                case DisplayEvent display:
                    var element = new DisplayElement(new Dictionary<string, object>(StringComparer.Ordinal));
                    Fill(element.Data, display.FormattedValues);
                    cell.Outputs.Add(element);
                    break;
                case CommandFailed failed:
                    failure = Failure(notebook, label, failed, events.OfType<DiagnosticsProduced>().SelectMany(d => d.Diagnostics));
                    cell.Outputs.Add(failed.Exception is null or CodeSubmissionCompilationErrorException
                        ? new ErrorElement(failure.ToString(), "CompilationError", [failure.ToString()])
                        : new ErrorElement(failure.ToString(), failed.Exception.GetType().Name,
                            [failure.ToString(), .. (failed.Exception.StackTrace ?? "").Split('\n').Select(l => l.TrimEnd())]));
                    break;
            }
        }
        return failure;
    }

    private static void Fill(IDictionary<string, object> data, IEnumerable<FormattedValue> values)
    {
        foreach (var value in values.Where(v => !v.SuppressDisplay))
        {
            data[value.MimeType] = value.Value;
        }
    }

    private static string Plain(IEnumerable<FormattedValue> values) => string.Concat(values.Where(v => v.MimeType == PlainTextFormatter.MimeType).Select(v => v.Value));

    private static CellFailure Failure(string notebook, string label, CommandFailed failed, IEnumerable<Microsoft.DotNet.Interactive.Diagnostic> diagnostics)
    {
        if (failed.Exception is null or CodeSubmissionCompilationErrorException)
        {
            var first = diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
            return first is null
                ? new CellFailure(notebook, label, null, failed.Message.Trim())
                : new CellFailure(notebook, label, first.LinePositionSpan.Start.Line + 1, $"error {first.Code}: {first.Message}");
        }
        var file = $"{notebook}.ipynb[{label}]";
        var frame = new StackTrace(failed.Exception, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetFileName()?.EndsWith(file, StringComparison.Ordinal) == true);
        return new CellFailure(notebook, label, frame?.GetFileLineNumber() is > 0 and var line ? line : null,
            $"{failed.Exception.GetType().FullName}: {failed.Exception.Message}");
    }
}

/// <summary>The executed notebook (name and document), the error that stopped it (null when every cell ran), its final variables, each code cell's time and the whole run's.</summary>
internal sealed record NotebookRun(string Name, InteractiveDocument Notebook, CellFailure? Failure, IReadOnlyDictionary<string, object?> Variables, IReadOnlyList<CellTiming> Cells, TimeSpan Elapsed);

/// <summary>How long a code cell took in the kernel (compiling and running it, and formatting its outputs).</summary>
internal sealed record CellTiming(string Cell, TimeSpan Elapsed);

/// <summary>Where and why a notebook stopped: notebook name, cell label (<c>cell 4</c>), line in the cell (when known) and the compiler or runtime message.</summary>
internal sealed record CellFailure(string Notebook, string Cell, int? Line, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Notebook}.ipynb, {Cell}{(Line is { } l ? $", line {l}" : "")}: {Message}";
}
