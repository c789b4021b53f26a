using System.IO.Compression;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;

namespace ServiceRequests.Socrata;

/// <summary>
/// Loads a local Socrata JSON file (<c>.json</c>, or <c>.json.gz</c> read as a stream) into a
/// DataFrame. A large plain file is read in parallel chunks, one per core and then some: each chunk
/// starts where a row seems to start (<c>}</c>, <c>,</c>, <c>{</c> with only whitespace between),
/// and a chunk counts only once the chunk before it, read from a known row start, ends exactly
/// there; otherwise (a row that holds that pattern inside a text, malformed JSON) the whole file is
/// read again in one pass, whose messages name the right row and byte.
/// </summary>
internal static class SodaJsonFile
{
    /// <summary>Files smaller than two such chunks are read in one pass.</summary>
    private const long MinChunkBytes = 4L << 20;

    private const int ProbeBytes = 1 << 16;

    /// <summary>Reads <paramref name="path"/> into a frame of <paramref name="columns"/>; other fields are skipped.</summary>
    /// <exception cref="ServiceRequestsException">The JSON is malformed or a value does not fit its column (the message names the file, row, field and byte).</exception>
    /// <exception cref="InvalidDataException">A <c>.gz</c> file is not gzip-compressed.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DataFrame Load(string path, IReadOnlyList<ColumnSpec> columns, TimeZoneInfo? zone = null)
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var input = new GZipStream(file, CompressionMode.Decompress);
            return ReadWhole(input, path, columns, zone);
        }
        var starts = ChunkStarts(path);
        if (starts.Count > 1 && TryReadChunks(path, columns, zone, starts) is { } frame)
        {
            return frame;
        }
        using var whole = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return ReadWhole(whole, path, columns, zone);
    }

    private static DataFrame ReadWhole(Stream input, string path, IReadOnlyList<ColumnSpec> columns, TimeZoneInfo? zone)
    {
        var builder = new FrameBuilder(columns);
        new SodaJsonReader(builder, path, zone).Read(input);
        return builder.ToDataFrame();
    }

    /// <summary>Reads the chunks in parallel; null when a chunk did not start where the one before it ended, or a chunk failed.</summary>
    private static DataFrame? TryReadChunks(string path, IReadOnlyList<ColumnSpec> columns, TimeZoneInfo? zone, List<long> starts)
    {
        var parts = new FrameBuilder[starts.Count];
        var ends = new long[starts.Count];
        var failed = 0;
        Parallel.For(0, starts.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, (k, state) =>
        {
            try
            {
                parts[k] = new FrameBuilder(columns);
                var stop = k + 1 < starts.Count ? starts[k + 1] : long.MaxValue;
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                file.Position = starts[k];
                var reader = new SodaJsonReader(parts[k], path, zone);
                reader.ReadRows(file, starts[k], stop);
                ends[k] = reader.NextRowStart;
            }
            catch (Exception e) when (e is ServiceRequestsException or IOException)
            {
                // Read again in one pass, which says where the file is wrong (or confirms the error).
                Interlocked.Exchange(ref failed, 1);
                state.Stop();
            }
        });
        if (failed != 0)
        {
            return null;
        }
        for (var k = 0; k + 1 < starts.Count; k++)
        {
            if (ends[k] != starts[k + 1])
            {
                return null;
            }
        }
        return FrameBuilder.ToDataFrame(parts);
    }

    /// <summary>0 and the offsets where the other chunks seem to start (a row after <c>},{</c>); just 0 for a small file.</summary>
    private static List<long> ChunkStarts(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var length = RandomAccess.GetLength(handle);
        var count = (int)Math.Min(Environment.ProcessorCount * 4L, length / MinChunkBytes);
        var starts = new List<long> { 0 };
        if (Environment.ProcessorCount < 2 || count < 2)
        {
            return starts;
        }
        var probe = new byte[ProbeBytes];
        for (var k = 1; k < count; k++)
        {
            var from = length * k / count;
            var read = RandomAccess.Read(handle, probe, from);
            if (RowStart(probe.AsSpan(0, read)) is var at and >= 0 && from + at > starts[^1])
            {
                starts.Add(from + at);
            }
        }
        return starts;
    }

    /// <summary>The index of the first <c>{</c> preceded by <c>}</c> and <c>,</c> with only whitespace between, or -1.</summary>
    private static int RowStart(ReadOnlySpan<byte> data)
    {
        for (var i = data.IndexOf((byte)'}'); i >= 0 && i < data.Length; i++)
        {
            if (data[i] != '}')
            {
                var next = data[i..].IndexOf((byte)'}');
                if (next < 0)
                {
                    return -1;
                }
                i += next;
            }
            var j = SkipWhitespace(data, i + 1);
            if (j < data.Length && data[j] == ',')
            {
                j = SkipWhitespace(data, j + 1);
                if (j < data.Length && data[j] == '{')
                {
                    return j;
                }
            }
        }
        return -1;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> data, int i)
    {
        while (i < data.Length && data[i] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            i++;
        }
        return i;
    }
}
