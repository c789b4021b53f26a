using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Analysis;

namespace ServiceRequests.Frames;

/// <summary>
/// Builds a typed <see cref="DataFrame"/> row by row without boxing: primitive values go straight
/// into Arrow-layout buffers that become the DataFrame's columns without a copy, and repeated
/// short texts (status, request type, neighborhood) are interned. Every value not set in a row is
/// null. Used by every loader (Socrata JSON, ArcGIS, CSV) so they all produce the same frames.
/// </summary>
internal sealed class FrameBuilder
{
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
                ColumnType.Text => new TextBuffer(capacity),
                ColumnType.Number => new PrimitiveBuffer<double>(capacity),
                ColumnType.Integer => new PrimitiveBuffer<int>(capacity),
                ColumnType.Long => new PrimitiveBuffer<long>(capacity),
                ColumnType.Timestamp => new PrimitiveBuffer<DateTime>(capacity),
                ColumnType.Boolean => new PrimitiveBuffer<bool>(capacity),
                ColumnType.Point => new PointBuffer(capacity),
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
    public DataFrame ToDataFrame()
    {
        var columns = new List<DataFrameColumn>(_specs.Length + 2);
        for (var i = 0; i < _specs.Length; i++)
        {
            columns.AddRange(_buffers[i].ToColumns(_specs[i], _rows));
        }
        return new DataFrame(columns);
    }

    private TextBuffer Text(int column) => _buffers[column] as TextBuffer ?? throw WrongType(column, "text");

    private InvalidOperationException WrongType(int column, string what) =>
        new($"Column '{_specs[column].Name}' is {_specs[column].Type}, not {what}.");

    private interface IColumnBuffer
    {
        void Grow(int rows);

        /// <summary>Forgets the value of the last of <paramref name="rows"/> rows; the next <see cref="Grow"/> adds it again.</summary>
        void RemoveLast(int rows);

        IEnumerable<DataFrameColumn> ToColumns(ColumnSpec spec, int rows);
    }

    private sealed class PrimitiveBuffer<T>(int capacity) : IColumnBuffer
        where T : unmanaged
    {
        private static readonly int Size = Unsafe.SizeOf<T>();
        private byte[] _data = new byte[capacity * Size];
        private byte[] _valid = new byte[(capacity + 7) / 8];
        private int _nulls;

        public void Grow(int rows)
        {
            _nulls++;
            if (rows * Size > _data.Length)
            {
                var newCapacity = Math.Max(rows, _data.Length / Size * 2);
                Array.Resize(ref _data, newCapacity * Size);
                Array.Resize(ref _valid, (newCapacity + 7) / 8);
            }
        }

        public void RemoveLast(int rows)
        {
            var row = rows - 1;
            ref var bits = ref _valid[row >> 3];
            var mask = (byte)(1 << (row & 7));
            if ((bits & mask) != 0)
            {
                bits &= (byte)~mask;
            }
            else
            {
                _nulls--;
            }
        }

        public void Set(int row, T value)
        {
            MemoryMarshal.Cast<byte, T>(_data.AsSpan())[row] = value;
            ref var bits = ref _valid[row >> 3];
            var mask = (byte)(1 << (row & 7));
            if ((bits & mask) == 0)
            {
                bits |= mask;
                _nulls--;
            }
        }

        public IEnumerable<DataFrameColumn> ToColumns(ColumnSpec spec, int rows) => [Column(spec.Name, rows)];

        public DataFrameColumn Column(string name, int rows)
        {
            var data = new ReadOnlyMemory<byte>(_data, 0, rows * Size);
            var valid = new ReadOnlyMemory<byte>(_valid, 0, (rows + 7) / 8);
            object column = typeof(T) == typeof(double) ? new DoubleDataFrameColumn(name, data, valid, rows, _nulls)
                : typeof(T) == typeof(int) ? new Int32DataFrameColumn(name, data, valid, rows, _nulls)
                : typeof(T) == typeof(long) ? new Int64DataFrameColumn(name, data, valid, rows, _nulls)
                : typeof(T) == typeof(DateTime) ? new DateTimeDataFrameColumn(name, data, valid, rows, _nulls)
                : typeof(T) == typeof(bool) ? new BooleanDataFrameColumn(name, data, valid, rows, _nulls)
                : throw new NotSupportedException(typeof(T).Name);
            return (DataFrameColumn)column;
        }
    }

    private sealed class PointBuffer(int capacity) : IColumnBuffer
    {
        private readonly PrimitiveBuffer<double> _lat = new(capacity);
        private readonly PrimitiveBuffer<double> _lng = new(capacity);

        public void Grow(int rows)
        {
            _lat.Grow(rows);
            _lng.Grow(rows);
        }

        public void RemoveLast(int rows)
        {
            _lat.RemoveLast(rows);
            _lng.RemoveLast(rows);
        }

        public void Set(int row, double latitude, double longitude)
        {
            _lat.Set(row, latitude);
            _lng.Set(row, longitude);
        }

        public IEnumerable<DataFrameColumn> ToColumns(ColumnSpec spec, int rows) =>
            [_lat.Column(spec.LatitudeName, rows), _lng.Column(spec.LongitudeName, rows)];
    }

    private sealed class TextBuffer(int capacity) : IColumnBuffer
    {
        // Values up to this many UTF-8 bytes are interned while the column has few distinct values.
        private const int InternMaxBytes = 64;
        private const int InternMaxDistinct = 4096;
        private string?[] _values = new string?[capacity];
        private readonly Dictionary<int, List<(byte[] Utf8, string Text)>> _interned = [];
        private int _distinct;

        public void Grow(int rows)
        {
            if (rows > _values.Length)
            {
                Array.Resize(ref _values, Math.Max(rows, _values.Length * 2));
            }
        }

        public void Set(int row, string? value) => _values[row] = value;

        public void RemoveLast(int rows) => _values[rows - 1] = null;

        public string? Get(int row) => _values[row];

        public void Set(int row, ReadOnlySpan<byte> utf8) => _values[row] = Intern(utf8);

        private string Intern(ReadOnlySpan<byte> utf8)
        {
            if (utf8.Length > InternMaxBytes || _distinct >= InternMaxDistinct)
            {
                return Encoding.UTF8.GetString(utf8);
            }
            var hash = Hash(utf8);
            if (!_interned.TryGetValue(hash, out var bucket))
            {
                bucket = [];
                _interned[hash] = bucket;
            }
            foreach (var (bytes, text) in bucket)
            {
                if (utf8.SequenceEqual(bytes))
                {
                    return text;
                }
            }
            var value = Encoding.UTF8.GetString(utf8);
            bucket.Add((utf8.ToArray(), value));
            _distinct++;
            return value;
        }

        private static int Hash(ReadOnlySpan<byte> bytes)
        {
            var hash = 2166136261u;
            foreach (var b in bytes)
            {
                hash = (hash ^ b) * 16777619u;
            }
            return (int)hash;
        }

        public IEnumerable<DataFrameColumn> ToColumns(ColumnSpec spec, int rows) =>
            [new StringDataFrameColumn(spec.Name, _values.Take(rows))];
    }
}
