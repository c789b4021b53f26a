using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.Data.Analysis;
using Plotly.NET;
using ServiceRequests.Reports;

namespace ServiceRequests.Notebooks;

/// <summary>
/// Runs a notebook's C# cells top to bottom in one Roslyn scripting session, as the Polyglot
/// kernel would: variables carry over between cells, <c>display(x)</c> and a cell's trailing
/// expression become outputs, console output is captured, <c>#r</c> goes through
/// <see cref="NotebookReferences"/>. The first failing cell stops the run; its error (cell
/// number, line, compiler or runtime message) becomes that cell's output.
/// </summary>
internal sealed class NotebookRunner(TextWriter progress)
{
    /// <summary>The namespaces the Polyglot C# kernel imports by default.</summary>
    public static readonly string[] DefaultImports =
        ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    /// <summary>The framework assemblies every cell sees (the commonly used ones); packages come by <c>#r "nuget: ..."</c>.</summary>
    private static readonly string[] FrameworkAssemblies =
    [
        "System.Private.CoreLib", "System.Runtime", "System.Collections", "System.Collections.Concurrent", "System.Linq",
        "System.Linq.Expressions", "System.Console", "System.Text.RegularExpressions", "System.Net.Http", "System.Net.Primitives",
        "System.IO.Compression", "System.Text.Json", "System.Memory", "System.ComponentModel.Primitives", "Microsoft.CSharp", "netstandard",
    ];

    private static readonly CSharpParseOptions ScriptParse = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>Runs the notebook at <paramref name="path"/> with the given parameter values (names it declares).</summary>
    /// <exception cref="ServiceRequestsException">The file is not an nbformat 4 notebook.</exception>
    /// <exception cref="ServiceRequestsException">A parameter value that does not fit (see <see cref="NotebookParameters"/>).</exception>
    public async Task<NotebookRun> RunAsync(string path, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var notebook = NotebookDocument.Load(path);
        var labels = PrepareCells(notebook, parameters);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var options = ScriptOptions.Default
            .WithReferences(FrameworkAssemblies.Select(name => System.Reflection.Assembly.Load(name)))
            .WithImports(DefaultImports)
            .WithMetadataResolver(new NotebookReferences(folder))
            .WithSourceResolver(new SourceFileResolver([], folder))
            .WithEmitDebugInformation(true)
            .WithFileEncoding(Encoding.UTF8)
            .WithLanguageVersion(LanguageVersion.Latest);
        var outputs = new OutputFormatter();
        var context = new NotebookContext(value => outputs.Current?.Add(outputs.Display(value, executionCount: null)));
        ScriptState<object>? state = null;
        CellFailure? failure = null;
        var executionCount = 0;
        var timings = new List<CellTiming>();

        for (var i = 0; i < notebook.Cells.Count && failure is null; i++)
        {
            var cell = notebook.Cells[i]!.AsObject();
            if (NotebookDocument.TypeOf(cell) != "code")
            {
                continue;
            }
            cancellationToken.ThrowIfCancellationRequested();
            var label = labels[i];
            var source = NotebookDocument.SourceOf(cell)!;
            var cellOutputs = new JsonArray();
            cell["outputs"] = cellOutputs;
            cell["execution_count"] = ++executionCount;
            outputs.Current = cellOutputs;
            var compile = TimeSpan.Zero;
            var cellWatch = Stopwatch.StartNew();
            var console = Console.Out;
            var captured = new StringWriter(CultureInfo.InvariantCulture);
            Console.SetOut(captured);
            try
            {
                var tree = CSharpSyntaxTree.ParseText(source, ScriptParse, cancellationToken: cancellationToken);
                CheckDirectives(source, tree);
                var cellOptions = options.WithFilePath($"{notebook.Name}.ipynb[{label}]");
                var script = state is null
                    ? CSharpScript.Create(source, cellOptions, typeof(NotebookContext))
                    : state.Script.ContinueWith(source, cellOptions);
                var diagnostics = script.Compile(cancellationToken);
                compile = cellWatch.Elapsed;
                if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
                {
                    throw new CompilationErrorException("The cell does not compile.", diagnostics);
                }
                state = state is null
                    ? await script.RunAsync(context, cancellationToken: cancellationToken)
                    : await script.RunFromAsync(state, cancellationToken: cancellationToken);
                Flush(captured, cellOutputs);
                if (HasTrailingExpression(tree) && state.ReturnValue is { } value)
                {
                    cellOutputs.Add(outputs.Display(value, executionCount));
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Flush(captured, cellOutputs);
                failure = Failure(notebook.Name, label, $"{notebook.Name}.ipynb[{label}]", e);
                cellOutputs.Add(ErrorOutput(e, failure));
            }
            finally
            {
                Console.SetOut(console);
                outputs.Current = null;
            }
            var timing = new CellTiming(label, compile, cellWatch.Elapsed - compile);
            timings.Add(timing);
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {notebook.Name}: {label} {(failure is null ? "ok" : "FAILED")} (compile {timing.Compile.TotalSeconds:F1} s, run {timing.Run.TotalSeconds:F1} s)"));
        }

        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var variable in state?.Variables ?? [])
        {
            variables[variable.Name] = variable.Value;
        }
        return new NotebookRun(notebook, failure, variables, timings, watch.Elapsed);
    }

    /// <summary>Clears old outputs, adds the injected-parameters cell, and labels each cell by its position in the notebook as written.</summary>
    private static string[] PrepareCells(NotebookDocument notebook, IReadOnlyList<KeyValuePair<string, string>> parameters)
    {
        var labels = new List<string>();
        var parametersCell = -1;
        for (var i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i]!;
            labels.Add($"cell {i + 1}");
            if (NotebookDocument.TypeOf(cell) == "code")
            {
                cell["outputs"] = new JsonArray();
                cell["execution_count"] = null;
                if (parametersCell < 0 && NotebookDocument.HasTag(cell, NotebookParameters.Tag))
                {
                    parametersCell = i;
                }
            }
        }
        if (parameters.Count > 0)
        {
            var declaring = parametersCell < 0 ? "" : NotebookDocument.SourceOf(notebook.Cells[parametersCell]!)!;
            var source = NotebookParameters.InjectedSource(notebook.Name, NotebookParameters.Declared(declaring), parameters, NotebookParameters.Ranges(declaring));
            var metadata = notebook.Cells[parametersCell]!["metadata"]?.DeepClone().AsObject() ?? [];
            metadata["tags"] = new JsonArray(NotebookParameters.InjectedTag);
            notebook.Cells.Insert(parametersCell + 1, new JsonObject
            {
                ["cell_type"] = "code",
                ["execution_count"] = null,
                ["id"] = NotebookParameters.InjectedTag,
                ["metadata"] = metadata,
                ["outputs"] = new JsonArray(),
                ["source"] = NotebookDocument.Lines(source),
            });
            labels.Insert(parametersCell + 1, "injected parameters");
        }
        return [.. labels];
    }

    /// <summary>Rejects what the runner does not support before compiling: <c>#!</c> magic commands and unknown packages.</summary>
    private static void CheckDirectives(string source, SyntaxTree tree)
    {
        var lines = source.Split('\n');
        for (var line = 0; line < lines.Length; line++)
        {
            if (lines[line].TrimStart().StartsWith("#!", StringComparison.Ordinal))
            {
                throw new NotebookReferenceException(
                    $"line {line + 1}: '{lines[line].Trim()}': #! magic commands are not supported by the report runner (plain C# and #r only; see docs/notebooks.md).");
            }
        }
        foreach (var directive in tree.GetCompilationUnitRoot().GetReferenceDirectives())
        {
            NotebookReferences.Check(directive.File.ValueText);
        }
    }

    private static bool HasTrailingExpression(SyntaxTree tree) =>
        tree.GetCompilationUnitRoot().Members.LastOrDefault() is GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } };

    private static CellFailure Failure(string notebook, string label, string file, Exception e)
    {
        switch (e)
        {
            case CompilationErrorException compile:
                var first = compile.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) ?? compile.Diagnostics[0];
                var span = first.Location.GetMappedLineSpan();
                return new CellFailure(notebook, label, span.IsValid ? span.StartLinePosition.Line + 1 : null,
                    $"error {first.Id}: {first.GetMessage(CultureInfo.InvariantCulture)}");
            case NotebookReferenceException reference:
                return new CellFailure(notebook, label, null, reference.Message);
            default:
                var frame = new StackTrace(e, fNeedFileInfo: true).GetFrames().FirstOrDefault(f => f.GetFileName()?.EndsWith(file, StringComparison.Ordinal) == true);
                return new CellFailure(notebook, label, frame?.GetFileLineNumber() is > 0 and var line ? line : null, $"{e.GetType().FullName}: {e.Message}");
        }
    }

    private static JsonObject ErrorOutput(Exception e, CellFailure failure) => new()
    {
        ["output_type"] = "error",
        ["ename"] = e is CompilationErrorException ? "CompilationError" : e.GetType().Name,
        ["evalue"] = failure.ToString(),
        ["traceback"] = e is CompilationErrorException or NotebookReferenceException
            ? new JsonArray(failure.ToString())
            : new JsonArray([failure.ToString(), .. (e.StackTrace ?? "").Split('\n').Select(l => (JsonNode?)l.TrimEnd())]),
    };

    private static void Flush(StringWriter captured, JsonArray outputs)
    {
        var text = captured.ToString();
        if (text.Length > 0)
        {
            outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = NotebookDocument.Lines(text) });
        }
        captured.GetStringBuilder().Clear();
    }

    /// <summary>Turns values into nbformat outputs (<c>text/html</c> and <c>text/plain</c>); plotly.js rides along with the notebook's first chart.</summary>
    private sealed class OutputFormatter
    {
        private bool _plotlyEmitted;

        /// <summary>Where <c>display</c> writes while a cell runs.</summary>
        public JsonArray? Current { get; set; }

        public JsonObject Display(object? value, int? executionCount)
        {
            var (html, plain) = value switch
            {
                null => ("<pre>null</pre>", "null"),
                DataFrame frame => (ReportFormatters.TableHtml(frame), string.Create(CultureInfo.InvariantCulture, $"DataFrame: {frame.Rows.Count:N0} rows × {frame.Columns.Count} columns")),
                GenericChart chart => (ReportFormatters.ChartHtml(chart, includePlotlyJs: !_plotlyEmitted), "Plotly chart"),
                _ => ("<pre>" + WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture)) + "</pre>", Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
            };
            _plotlyEmitted |= value is GenericChart;
            var output = new JsonObject
            {
                ["output_type"] = executionCount is null ? "display_data" : "execute_result",
                ["data"] = new JsonObject { ["text/html"] = NotebookDocument.Lines(html), ["text/plain"] = NotebookDocument.Lines(plain) },
                ["metadata"] = new JsonObject(),
            };
            if (executionCount is { } count)
            {
                output["execution_count"] = count;
            }
            return output;
        }
    }
}

/// <summary>The executed notebook, the error that stopped it (null when every cell ran), its final variables, each code cell's times and the whole run's.</summary>
internal sealed record NotebookRun(NotebookDocument Notebook, CellFailure? Failure, IReadOnlyDictionary<string, object?> Variables, IReadOnlyList<CellTiming> Cells, TimeSpan Elapsed);

/// <summary>How long a code cell took to compile (Roslyn) and to run (including formatting its outputs).</summary>
internal sealed record CellTiming(string Cell, TimeSpan Compile, TimeSpan Run);

/// <summary>Where and why a notebook stopped: notebook name, cell label (<c>cell 4</c>), line in the cell (when known) and the compiler or runtime message.</summary>
internal sealed record CellFailure(string Notebook, string Cell, int? Line, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Notebook}.ipynb, {Cell}{(Line is { } l ? $", line {l}" : "")}: {Message}";
}
