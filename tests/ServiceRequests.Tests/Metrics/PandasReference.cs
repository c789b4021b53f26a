using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Analysis;
using ServiceRequests.Tests.Infrastructure;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Tests.Metrics;

/// <summary>
/// Runs tests/reference/metrics_reference.py (pandas, under the first python3 on PATH that imports
/// it) and compares its tables with the C# ones. Tests that use it are <see cref="PandasFactAttribute"/>s.
/// </summary>
internal static class PandasReference
{

    public static string Script => RepoPaths.Of("tests", "reference", "metrics_reference.py");

    /// <summary>Runs the script on <paramref name="input"/> and returns its tables by name.</summary>
    public static Dictionary<string, JsonElement> Tables(string input, string outputFolder, params string[] options)
    {
        var output = Path.Combine(outputFolder, "reference.json");
        var (code, stdout, stderr) = Run([Script, input, "--sla", RepoPaths.Of("data", "sla.csv"), "--out", output, .. options], TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"metrics_reference.py failed ({code}): {stderr}\n{stdout}");
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        return json.RootElement.GetProperty("tables").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> has the reference table's column names, rows and
    /// values: text and flags equal, whole numbers equal, other numbers within 1e-9, nulls in the same places.
    /// </summary>
    public static void AssertSame(string name, JsonElement expected, DataFrame actual)
    {
        var columns = expected.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(columns, actual.Columns.Select(c => c.Name).ToList());
        var rows = expected.GetProperty("data").EnumerateArray().ToList();
        Assert.True(rows.Count == actual.Rows.Count, $"{name}: pandas has {rows.Count} rows, C# {actual.Rows.Count}");
        for (var r = 0; r < rows.Count; r++)
        {
            var cells = rows[r].EnumerateArray().ToList();
            for (var c = 0; c < columns.Count; c++)
            {
                var where = $"{name}, row {r} ({actual.Columns[0][r]}), column {columns[c]}";
                AssertCell(where, cells[c], actual.Columns[c], actual.Columns[c][r]);
            }
        }
    }

    private static void AssertCell(string where, JsonElement expected, DataFrameColumn column, object? actual)
    {
        if (expected.ValueKind == JsonValueKind.Null || actual is null)
        {
            Assert.True(expected.ValueKind == JsonValueKind.Null && actual is null, $"{where}: pandas {expected}, C# {actual ?? "null"}");
            return;
        }
        switch (actual)
        {
            case string text:
                Assert.True(expected.GetString() == text, $"{where}: pandas '{expected}', C# '{text}'");
                break;
            case bool flag:
                Assert.True(expected.GetBoolean() == flag, $"{where}: pandas {expected}, C# {flag}");
                break;
            case DateTime date:
                Assert.True(expected.GetString() == date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"{where}: pandas {expected}, C# {date:yyyy-MM-dd}");
                break;
            case int count:
                Assert.True(expected.GetDouble() == count, $"{where}: pandas {expected}, C# {count} (counts must be equal)");
                break;
            case double value:
                Assert.True(Math.Abs(expected.GetDouble() - value) <= 1e-9, $"{where}: pandas {expected.GetDouble():R}, C# {value:R}");
                break;
            default:
                Assert.Fail($"{where}: unexpected {column.DataType.Name} value {actual}");
                break;
        }
    }

    private static (int Code, string Out, string Error) Run(string[] arguments, TimeSpan timeout)
    {
        var python = Tools.PythonWithPandas ?? throw new InvalidOperationException(Tools.PandasHint);
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", $"{python} could not be started: {e.Message}");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                return (-1, "", $"timed out after {timeout.TotalSeconds:F0} s");
            }
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
