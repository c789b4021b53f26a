using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ServiceRequests.Frames;

namespace ServiceRequests.Socrata;

/// <summary>
/// Streams a Socrata JSON array (<c>[{"field": "value", ...}, ...]</c>, as the SODA 2.x resource
/// endpoint serves it) into a <see cref="FrameBuilder"/> with a <see cref="Utf8JsonReader"/>:
/// memory stays near the size of the resulting columns, never the size of the JSON text.
/// Numbers may arrive as JSON numbers or as strings; fields absent from a row stay null;
/// unknown fields are skipped; timestamps with an offset or <c>Z</c> are converted to city time.
/// </summary>
internal sealed partial class SodaJsonReader
{
    private const int InitialBufferSize = 1 << 17;
    private readonly FrameBuilder _builder;
    private readonly string _source;
    private readonly TimeZoneInfo _zone;
    private readonly PropertyNames _names;
    // The file offset of the start of the buffer being read, for messages.
    private long _bytesBefore;

    private enum Phase
    {
        BeforeArray,
        InArray,
        Done,
    }

    /// <summary>Creates a reader that appends rows to <paramref name="builder"/>.</summary>
    /// <param name="builder">Where rows go; its columns name the fields read.</param>
    /// <param name="source">Names the input in error messages (file path, or URL and page).</param>
    /// <param name="zone">The city's time zone, for timestamps that carry an offset (default Detroit).</param>
    public SodaJsonReader(FrameBuilder builder, string source, TimeZoneInfo? zone = null)
    {
        _builder = builder ?? throw new ArgumentNullException(nameof(builder));
        _source = source;
        _zone = zone ?? CityTime.Detroit;
        _names = new PropertyNames(builder.Columns.Select(c => c.Name));
    }

    /// <summary>Rows read so far.</summary>
    public int RowsRead { get; private set; }

    /// <summary>
    /// After <see cref="ReadRows"/>: the file offset of the first row at or after its stop offset
    /// (where the next chunk's rows begin), or -1 when the array ended first.
    /// </summary>
    public long NextRowStart { get; private set; } = -1;

    /// <summary>Reads one whole JSON array from <paramref name="stream"/>.</summary>
    /// <returns>The number of rows the array held.</returns>
    /// <exception cref="ServiceRequestsException">The JSON is malformed or a value does not fit its column; the message names the source, row, field and byte offset.</exception>
    public async Task<int> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var startRows = RowsRead;
        var input = new Input(Phase.BeforeArray, 0, long.MaxValue);
        try
        {
            while (!input.Finished)
            {
                var read = input.Eof ? 0 : await stream.ReadAsync(input.Free, cancellationToken).ConfigureAwait(false);
                Step(ref input, read);
            }
        }
        finally
        {
            input.Dispose();
        }
        return RowsRead - startRows;
    }

    /// <summary>Reads one whole JSON array from <paramref name="stream"/> synchronously (no thread-pool hop per buffer).</summary>
    /// <inheritdoc cref="ReadAsync" path="/returns"/>
    /// <inheritdoc cref="ReadAsync" path="/exception"/>
    public int Read(Stream stream) => ReadRows(stream, 0, long.MaxValue);

    /// <summary>
    /// Reads the rows of one chunk of a JSON array: <paramref name="stream"/> is positioned at
    /// file offset <paramref name="start"/>, where a row object begins (or, for the first chunk, at
    /// the start of the file); rows are read until the first one that begins at or after
    /// <paramref name="stop"/> (its offset is then <see cref="NextRowStart"/>) or until the
    /// array ends. Used to read a large file in parallel chunks.
    /// </summary>
    /// <returns>The number of rows read.</returns>
    /// <inheritdoc cref="ReadAsync" path="/exception"/>
    public int ReadRows(Stream stream, long start, long stop)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var startRows = RowsRead;
        NextRowStart = -1;
        var input = new Input(start == 0 ? Phase.BeforeArray : Phase.InArray, start, stop);
        try
        {
            while (!input.Finished)
            {
                Step(ref input, input.Eof ? 0 : stream.Read(input.Free.Span));
            }
        }
        finally
        {
            input.Dispose();
        }
        return RowsRead - startRows;
    }

    /// <summary>Takes <paramref name="read"/> more bytes of input (0 at the end) and reads every whole row in the buffer.</summary>
    private void Step(ref Input input, int read)
    {
        input.Eof = read == 0;
        input.Filled += read;
        var consumed = Process(ref input);
        if (input.Phase == Phase.Done && (input.Eof || input.StoppedEarly))
        {
            input.Finished = true;
            return;
        }
        if (input.Eof && consumed == 0)
        {
            throw Malformed(input.Offset(input.Filled), "the JSON ends before the array is closed");
        }
        input.Consume(consumed);
    }

    /// <summary>The read buffer and where it stands in the input.</summary>
    private struct Input(Phase phase, long start, long stop) : IDisposable
    {
        // A chunk that starts inside the array is read as if it began with '[' (one byte not in the file).
        private readonly int _prefix = phase == Phase.InArray ? 1 : 0;
        public byte[] Buffer = CreateBuffer(phase);
        public int Filled = phase == Phase.InArray ? 1 : 0;
        public long BytesBefore;
        public bool Eof;
        public bool Finished;
        public bool StoppedEarly;
        public JsonReaderState State;
        public Phase Phase = Phase.BeforeArray;
        public readonly long Stop = stop;

        public readonly Memory<byte> Free => Buffer.AsMemory(Filled);

        /// <summary>The file offset of buffer position <paramref name="index"/>.</summary>
        public readonly long Offset(long index) => start + BytesBefore + index - _prefix;

        public void Consume(int consumed)
        {
            BytesBefore += consumed;
            System.Buffer.BlockCopy(Buffer, consumed, Buffer, 0, Filled - consumed);
            Filled -= consumed;
            if (Filled == Buffer.Length)
            {
                // One row is larger than the buffer: grow it.
                var larger = ArrayPool<byte>.Shared.Rent(Buffer.Length * 2);
                System.Buffer.BlockCopy(Buffer, 0, larger, 0, Filled);
                ArrayPool<byte>.Shared.Return(Buffer);
                Buffer = larger;
            }
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(Buffer);

        private static byte[] CreateBuffer(Phase phase)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
            buffer[0] = phase == Phase.InArray ? (byte)'[' : buffer[0];
            return buffer;
        }
    }

    private int Process(ref Input input)
    {
        var data = input.Buffer.AsSpan(0, input.Filled);
        var reader = new Utf8JsonReader(data, input.Eof, input.State);
        try
        {
            while (true)
            {
                var checkpoint = reader;
                if (!reader.Read())
                {
                    reader = checkpoint;
                    break;
                }
                switch (input.Phase)
                {
                    case Phase.BeforeArray when reader.TokenType == JsonTokenType.StartArray:
                        input.Phase = Phase.InArray;
                        break;
                    case Phase.BeforeArray when reader.TokenType == JsonTokenType.StartObject:
                        throw Malformed(input.Offset(reader.TokenStartIndex),
                            "expected an array of rows but found an object" + ErrorBodyHint(data, reader));
                    case Phase.BeforeArray:
                        throw Malformed(input.Offset(reader.TokenStartIndex), $"expected an array of rows but found {reader.TokenType}");
                    case Phase.InArray when reader.TokenType == JsonTokenType.EndArray:
                        input.Phase = Phase.Done;
                        break;
                    case Phase.InArray when reader.TokenType == JsonTokenType.StartObject:
                        if (input.Offset(reader.TokenStartIndex) >= input.Stop)
                        {
                            // The next chunk's first row: stop before it.
                            NextRowStart = input.Offset(reader.TokenStartIndex);
                            input.Phase = Phase.Done;
                            input.StoppedEarly = true;
                            reader = checkpoint;
                            goto end;
                        }
                        _bytesBefore = input.Offset(0);
                        if (!ReadRow(ref reader))
                        {
                            // The row continues past the buffer: take it back and read it whole next time.
                            _builder.RemoveLastRow();
                            RowsRead--;
                            reader = checkpoint;
                            goto end;
                        }
                        break;
                    case Phase.InArray:
                        throw Malformed(input.Offset(reader.TokenStartIndex), $"expected a row object but found {reader.TokenType}");
                    default:
                        throw Malformed(input.Offset(reader.TokenStartIndex), "unexpected data after the end of the array");
                }
            }
        end:
            input.State = reader.CurrentState;
            return (int)reader.BytesConsumed;
        }
        catch (JsonException e)
        {
            throw Malformed(input.Offset(reader.BytesConsumed), e.Message, e);
        }
    }

    /// <summary>Reads one row object into a new builder row; false when the buffer ends inside the row.</summary>
    private bool ReadRow(ref Utf8JsonReader reader)
    {
        _builder.AddRow();
        RowsRead++;
        while (true)
        {
            if (!reader.Read())
            {
                return false;
            }
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                return true;
            }
            var column = _names.IndexOf(ref reader);
            var nameStart = reader.TokenStartIndex;
            if (!reader.Read())
            {
                return false;
            }
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                // Nested values (points, urls, unknown fields) are read only once they are whole.
                var probe = reader;
                if (!probe.TrySkip())
                {
                    return false;
                }
            }
            if (column < 0 || reader.TokenType == JsonTokenType.Null)
            {
                reader.TrySkip();
                continue;
            }
            try
            {
                SetValue(column, ref reader);
            }
            catch (Exception e) when (e is ServiceRequestsException or FormatException or OverflowException or InvalidOperationException)
            {
                var spec = _builder.Columns[column];
                throw new ServiceRequestsException(
                    $"{_source}: row {RowsRead}, field '{spec.Name}' (byte {_bytesBefore + nameStart}): cannot read {Describe(ref reader)} as {spec.Type}: {e.Message}", e);
            }
        }
    }
}
