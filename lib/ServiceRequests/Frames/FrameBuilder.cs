using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;

namespace ServiceRequests.Frames;

/// <summary>
/// Builds a typed <see cref="DataFrame"/> row by row without boxing: primitive values go into
/// Arrow-layout blocks of <see cref="BlockRows"/> rows (no resizing copies, no over-allocation
/// beyond one block), copied once into each column's exact-size buffer at the end, and repeated
/// short texts (status, request type, neighborhood) are interned. Every value not set in a row is
/// null. Several builders over the same columns (one per chunk of a file read in parallel) are
/// joined in order by <see cref="ToDataFrame(IReadOnlyList{FrameBuilder})"/>. Used by every loader
/// (Socrata JSON, ArcGIS, Parquet) so they all produce the same frames.
/// </summary>
internal sealed partial class FrameBuilder
{
    /// <summary>Rows per block of every column after the first block (which grows up to this size, so small frames stay small).</summary>
    public const int BlockRows = 1 << 16;
    private const int BlockShift = 16;
    private const int BlockMask = BlockRows - 1;

    private readonly ColumnSpec[] _specs;
    private readonly IColumnBuffer[] _buffers;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private int _rows;

    /// <summary>Creates a builder for <paramref name="columns"/>.</summary>
    /// <param name="columns">The columns, in output order.</param>
    /// <param name="capacity">Expected number of rows (grows as needed).</param>
    /// <exception cref="ArgumentException">Two columns share a name.</exception>
    public FrameBuilder(IEnumerable<ColumnSpec> columns, int capacity = 1024)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _specs = [.. columns];
        capacity = Math.Max(capacity, 16);
        _buffers = new IColumnBuffer[_specs.Length];
        for (var i = 0; i < _specs.Length; i++)
        {
            if (!_index.TryAdd(_specs[i].Name, i))
            {
                throw new ArgumentException($"Column '{_specs[i].Name}' appears twice.", nameof(columns));
            }
            _buffers[i] = _specs[i].Type switch
            {
                ColumnType.Text => new TextBuffer(Math.Min(capacity, BlockRows)),
                ColumnType.Number => new PrimitiveBuffer<double>(Math.Min(capacity, BlockRows)),
                ColumnType.Integer => new PrimitiveBuffer<int>(Math.Min(capacity, BlockRows)),
                ColumnType.Long => new PrimitiveBuffer<long>(Math.Min(capacity, BlockRows)),
                ColumnType.Timestamp => new PrimitiveBuffer<DateTime>(Math.Min(capacity, BlockRows)),
                ColumnType.Boolean => new PrimitiveBuffer<bool>(Math.Min(capacity, BlockRows)),
                ColumnType.Point => new PointBuffer(Math.Min(capacity, BlockRows)),
                _ => throw new ArgumentOutOfRangeException(nameof(columns), _specs[i].Type, "Unknown column type."),
            };
        }
    }

    /// <summary>The columns, in output order.</summary>
    public IReadOnlyList<ColumnSpec> Columns => _specs;

    /// <summary>Rows added so far.</summary>
    public int RowCount => _rows;

    /// <summary>The position of the column called <paramref name="name"/>, or -1.</summary>
    public int IndexOf(string name) => _index.TryGetValue(name, out var i) ? i : -1;

    /// <summary>Starts a new row; its values are null until set.</summary>
    public void AddRow()
    {
        _rows++;
        foreach (var buffer in _buffers)
        {
            buffer.Grow(_rows);
        }
    }

    /// <summary>Takes back the last row added (for a reader that found it incomplete and reads it again later).</summary>
    internal void RemoveLastRow()
    {
        foreach (var buffer in _buffers)
        {
            buffer.RemoveLast(_rows);
        }
        _rows--;
    }

    /// <summary>Sets a text value of the current row (null leaves it null).</summary>
    public void SetText(int column, string? value) => Text(column).Set(_rows - 1, value);

    /// <summary>Sets a text value of the current row from UTF-8 bytes; short repeated values are interned.</summary>
    public void SetText(int column, ReadOnlySpan<byte> utf8) => Text(column).Set(_rows - 1, utf8);

    /// <summary>The text value at <paramref name="row"/> of a text column (null when not set).</summary>
    internal string? GetText(int column, int row) => Text(column).Get(row);

    /// <summary>Sets a number of the current row (a <see cref="ColumnType.Number"/>, <see cref="ColumnType.Integer"/> or <see cref="ColumnType.Long"/> column).</summary>
    /// <exception cref="OverflowException">The value does not fit an integer column or is not whole.</exception>
    public void SetNumber(int column, double value)
    {
        switch (_buffers[column])
        {
            case PrimitiveBuffer<double> d:
                d.Set(_rows - 1, value);
                break;
            case PrimitiveBuffer<int> i:
                if (value != Math.Floor(value) || value < int.MinValue || value > int.MaxValue)
                {
                    throw new OverflowException($"{value} is not a whole number that fits column '{_specs[column].Name}'.");
                }
                i.Set(_rows - 1, (int)value);
                break;
            case PrimitiveBuffer<long> l:
                if (value != Math.Floor(value) || value < long.MinValue || value > long.MaxValue)
                {
                    throw new OverflowException($"{value} is not a whole number that fits column '{_specs[column].Name}'.");
                }
                l.Set(_rows - 1, (long)value);
                break;
            default:
                throw WrongType(column, "a number");
        }
    }

    /// <summary>Sets a whole number of the current row without going through <see cref="double"/>.</summary>
    /// <exception cref="OverflowException">The value does not fit an <see cref="ColumnType.Integer"/> column.</exception>
    public void SetInteger(int column, long value)
    {
        switch (_buffers[column])
        {
            case PrimitiveBuffer<long> l:
                l.Set(_rows - 1, value);
                break;
            case PrimitiveBuffer<int> i:
                i.Set(_rows - 1, checked((int)value));
                break;
            case PrimitiveBuffer<double> d:
                d.Set(_rows - 1, value);
                break;
            default:
                throw WrongType(column, "a number");
        }
    }

    /// <summary>Sets a floating timestamp (local wall-clock time) of the current row.</summary>
    public void SetTimestamp(int column, DateTime value) =>
        (_buffers[column] as PrimitiveBuffer<DateTime> ?? throw WrongType(column, "a timestamp"))
            .Set(_rows - 1, DateTime.SpecifyKind(value, DateTimeKind.Unspecified));

    /// <summary>Sets a checkbox of the current row.</summary>
    public void SetBoolean(int column, bool value) =>
        (_buffers[column] as PrimitiveBuffer<bool> ?? throw WrongType(column, "a checkbox"))
            .Set(_rows - 1, value);

    /// <summary>Sets a point of the current row.</summary>
    public void SetPoint(int column, double latitude, double longitude) =>
        (_buffers[column] as PointBuffer ?? throw WrongType(column, "a point"))
            .Set(_rows - 1, latitude, longitude);

    /// <summary>The DataFrame of all rows added. The builder must not be used afterwards.</summary>
    public DataFrame ToDataFrame() => ToDataFrame([this]);

    /// <summary>
    /// The DataFrame of the rows of <paramref name="parts"/>, in order (builders over the same
    /// columns, e.g. one per chunk of a file). Each column is copied into its exact-size buffer and
    /// the parts' blocks of it are released before the next column, so the peak stays near the
    /// frame's own size. The builders must not be used afterwards.
    /// </summary>
    /// <exception cref="ArgumentException">No parts, or parts with other columns.</exception>
    public static DataFrame ToDataFrame(IReadOnlyList<FrameBuilder> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("No parts to join.", nameof(parts));
        }
        var specs = parts[0]._specs;
        if (parts.Any(p => !p._specs.SequenceEqual(specs)))
        {
            throw new ArgumentException("The parts have different columns.", nameof(parts));
        }
        var rows = parts.Sum(p => (long)p._rows);
        if (rows > int.MaxValue)
        {
            throw new ServiceRequestsException($"{rows:N0} rows do not fit one DataFrame column (at most {int.MaxValue:N0}).");
        }
        var columns = new List<DataFrameColumn>(specs.Length + 2);
        for (var i = 0; i < specs.Length; i++)
        {
            var column = i;
            columns.AddRange(parts[0]._buffers[i].ToColumns(specs[i], [.. parts.Select(p => (p._buffers[column], p._rows))]));
        }
        return new DataFrame(columns);
    }

    private TextBuffer Text(int column) => _buffers[column] as TextBuffer ?? throw WrongType(column, "text");

    private InvalidOperationException WrongType(int column, string what) =>
        new($"Column '{_specs[column].Name}' is {_specs[column].Type}, not {what}.");
}
