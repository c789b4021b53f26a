using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ServiceRequests.Geo;
using ServiceRequests.TestSupport;

namespace ServiceRequests.Benchmarks;

/// <summary>
/// <c>districts</c>: assigns N random points over Detroit's bounding box to their 2026 council
/// district with <see cref="BoundaryLayer.Locate"/> (STRtree over the districts' boxes, then an
/// indexed point-in-polygon test), what <c>sync</c> does for every issue, and the same points
/// with the Python peers of tests/reference/districts_reference.py (matplotlib's vectorised
/// <c>contains_points</c>, geopandas' <c>sjoin</c>) in the same run, checking that every point gets
/// the same district. Reading the files is not timed on either side.
/// </summary>
internal static class DistrictsBench
{
    private const string Script = "tests/reference/districts_reference.py";
    private static readonly string[] KnownPeers = ["matplotlib", "geopandas"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var points = new Option<int>("--points") { Description = "Number of random points over the city's bounding box.", DefaultValueFactory = _ => 1_000_000 };
        var runs = new Option<int>("--runs") { Description = "Timed runs of the C# assignment (the median is compared).", DefaultValueFactory = _ => 5 };
        var python = new Option<string>("--python")
        {
            Description = "Python with numpy and matplotlib and/or geopandas (Debian packages; default: the first python3 on PATH that imports numpy); a peer whose module is missing is skipped.",
            DefaultValueFactory = _ => Tools.PythonWith("numpy") ?? "python3",
        };
        var peerList = new Option<string>("--peers")
        {
            Description = "Comma-separated Python peers to run: matplotlib, geopandas (slow: about 10 s per 100,000 points with Debian's shapely 1.8); empty for none.",
            DefaultValueFactory = _ => string.Join(',', KnownPeers),
        };
        var command = new Command("districts", "Time assigning points to the 2026 council districts in C# and with the Python peers on the same points; print a Markdown table.")
        {
            points, runs, python, peerList,
        };
        command.SetAction((parse, cancel) => BenchCommand.Guard(error, async () =>
        {
            var count = parse.GetValue(points);
            var repeat = parse.GetValue(runs);
            if (count < 1 || repeat < 1)
            {
                throw new ServiceRequestsException($"--points and --runs must be 1 or more (got {count} and {repeat}).");
            }
            var peerNames = parse.GetValue(peerList)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (peerNames.FirstOrDefault(p => !KnownPeers.Contains(p)) is { } unknown)
            {
                throw new ServiceRequestsException($"--peers: '{unknown}' is not a peer; the peers are {string.Join(", ", KnownPeers)}.");
            }
            var layer = BoundaryLayer.CouncilDistricts2026;
            var (xs, ys) = RandomPoints(count, layer);
            var folder = Directory.CreateTempSubdirectory("bench-districts-");
            try
            {
                var input = Path.Combine(folder.FullName, "points.bin");
                await using (var file = File.Create(input))
                using (var writer = new BinaryWriter(file))
                {
                    for (var i = 0; i < count; i++)
                    {
                        writer.Write(xs[i]);
                        writer.Write(ys[i]);
                    }
                }
                var (median, first, mine) = MeasureCSharp(layer, xs, ys, repeat);
                var geojson = RepositoryFiles.FindUp(BoundaryLayer.CouncilDistricts2026RelativePath);
                var peers = new List<(string Method, double Seconds, long Disagreements)>();
                foreach (var method in peerNames)
                {
                    cancel.ThrowIfCancellationRequested();
                    await error.WriteLineAsync($"Running the {method} peer ...");
                    var answers = Path.Combine(folder.FullName, method + ".bin");
                    if (await RunPeer(parse.GetValue(python)!, RepositoryFiles.FindUp(Script), input, geojson, method, answers, error, cancel) is { } seconds)
                    {
                        var theirs = await File.ReadAllBytesAsync(answers, cancel);
                        peers.Add((method, seconds, mine.Zip(theirs).LongCount(p => p.First != p.Second)));
                    }
                }
                Report(output, count, repeat, median, first, mine.Count(d => d > 0), peers);
            }
            finally
            {
                folder.Delete(recursive: true);
            }
            return 0;
        }));
        return command;
    }

    /// <summary>Uniform points over the districts' bounding box, from a fixed seed.</summary>
    private static (double[] X, double[] Y) RandomPoints(int count, BoundaryLayer layer)
    {
        var box = layer.Features.Select(f => f.Shape.EnvelopeInternal).Aggregate((a, b) => a.ExpandedBy(b));
        var random = new Random(2026);
        var xs = new double[count];
        var ys = new double[count];
        for (var i = 0; i < count; i++)
        {
            xs[i] = box.MinX + random.NextDouble() * box.Width;
            ys[i] = box.MinY + random.NextDouble() * box.Height;
        }
        return (xs, ys);
    }

    /// <summary>Times <paramref name="runs"/> assignments of every point; returns the median and first seconds and the districts (0 for none).</summary>
    private static (double Median, double First, byte[] Districts) MeasureCSharp(BoundaryLayer layer, double[] xs, double[] ys, int runs)
    {
        var districts = new byte[xs.Length];
        var seconds = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < xs.Length; i++)
            {
                districts[i] = layer.Locate(xs[i], ys[i]) is { } name ? byte.Parse(name, CultureInfo.InvariantCulture) : (byte)0;
            }
            seconds.Add(watch.Elapsed.TotalSeconds);
        }
        var first = seconds[0];
        seconds.Sort();
        return (seconds[seconds.Count / 2], first, districts);
    }

    /// <summary>Runs one peer; null (with a note) when its Python module is missing.</summary>
    private static async Task<double?> RunPeer(string python, string script, string points, string geojson, string method, string answers, TextWriter error, CancellationToken cancel)
    {
        var (exitCode, output, errors) = await PythonProcess.RunAsync(python, [script, points, geojson, "--method", method, "--out", answers], cancel, "numpy");
        if (exitCode != 0)
        {
            if (errors.Contains("No module named", StringComparison.Ordinal))
            {
                await error.WriteLineAsync($"  skipped {method}: {errors.Trim().Split('\n')[^1]} (Debian: apt-get install python3-{method})");
                return null;
            }
            throw new ServiceRequestsException($"The {method} peer failed (exit {exitCode}): {errors.Trim().Split('\n')[^1]}");
        }
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        return json.RootElement.GetProperty("seconds").GetDouble();
    }

    private static void Report(TextWriter w, int count, int runs, double median, double first, int inDistrict, List<(string Method, double Seconds, long Disagreements)> peers)
    {
        static string S(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);
        string Rate(double seconds) => (count / seconds / 1e6).ToString("0.00", CultureInfo.InvariantCulture);
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Command: `bench districts --points {count} --runs {runs}`  "));
        w.WriteLine($"Machine: {MachineInfo.Describe()}  ");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Input: {count:N0} uniform random points over the districts' bounding box ({inDistrict:N0} fall in a district), the bundled 2026 districts; one thread on each side."));
        w.WriteLine();
        w.WriteLine("| implementation | seconds | million points/s | points given another district than C# |");
        w.WriteLine("|---|---:|---:|---:|");
        w.WriteLine($"| C# BoundaryLayer.Locate (STRtree + indexed point in polygon), median of {runs} | {S(median)} | {Rate(median)} | |");
        w.WriteLine($"| C# BoundaryLayer.Locate, first run (JIT included) | {S(first)} | {Rate(first)} | |");
        foreach (var (method, seconds, disagreements) in peers)
        {
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Python {method} | {S(seconds)} | {Rate(seconds)} | {disagreements:N0} |"));
        }
        if (peers.Count > 0)
        {
            var fastest = peers.MinBy(p => p.Seconds);
            w.WriteLine();
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Fastest peer: {fastest.Method}; C# (median) / fastest peer = {median / fastest.Seconds:0.00} (below 1: C# is faster)."));
        }
    }
}
