using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;

namespace ServiceRequests.Frames;

/// <content>The column buffers: values in blocks, primitive, point and interned-text columns, and how they join into DataFrame columns.</content>
internal sealed partial class FrameBuilder
{
    private interface IColumnBuffer
    {
        void Grow(int rows);

        /// <summary>Forgets the value of the last of <paramref name="rows"/> rows; the next <see cref="Grow"/> adds it again.</summary>
        void RemoveLast(int rows);

        /// <summary>The columns of this buffer's kind joined from <paramref name="parts"/> (this buffer among them), releasing their blocks.</summary>
        IEnumerable<DataFrameColumn> ToColumns(ColumnSpec spec, IReadOnlyList<(IColumnBuffer Buffer, int Rows)> parts);
    }

    /// <summary>Blocks of a column: the first grows by doubling up to <see cref="BlockRows"/>, the others are whole blocks.</summary>
    private sealed class Blocks<T>(int capacity)
    {
        private readonly List<T[]> _blocks = [new T[Math.Max(capacity, 16)]];

        public T[] this[int block] => _blocks[block];

        /// <summary>Makes room for <paramref name="rows"/> rows.</summary>
        public void Ensure(int rows)
        {
            var first = _blocks[0];
            if (rows <= first.Length)
            {
                return;
            }
            if (first.Length < BlockRows)
            {
                Array.Resize(ref first, Math.Min(BlockRows, Math.Max(rows, first.Length * 2)));
                _blocks[0] = first;
            }
            while ((long)_blocks.Count * BlockRows < rows)
            {
                _blocks.Add(new T[BlockRows]);
            }
        }

        public ref T At(int row) => ref _blocks[row >> BlockShift][row & BlockMask];

        /// <summary>Copies the first <paramref name="rows"/> values to <paramref name="target"/> and drops the blocks.</summary>
        public void MoveTo(Span<T> target, int rows)
        {
            for (var b = 0; rows > 0; b++)
            {
                var count = Math.Min(rows, BlockRows);
                _blocks[b].AsSpan(0, count).CopyTo(target);
                target = target[count..];
                rows -= count;
            }
            _blocks.Clear();
        }
    }

    private sealed class PrimitiveBuffer<T>(int capacity) : IColumnBuffer
        where T : unmanaged
    {
        private static readonly int Size = Unsafe.SizeOf<T>();
        private readonly Blocks<T> _data = new(capacity);
        private readonly Blocks<byte> _valid = new((capacity + 7) / 8);
        private int _nulls;

        public void Grow(int rows)
        {
            _nulls++;
            _data.Ensure(rows);
            _valid.Ensure((rows + 7) / 8);
        }

        public void RemoveLast(int rows)
        {
            var row = rows - 1;
            ref var bits = ref ValidByte(row);
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

        private ref byte ValidByte(int row) => ref _valid.At(row >> 3);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Set(int row, T value)
        {
            _data.At(row) = value;
            ref var bits = ref ValidByte(row);
            var mask = (byte)(1 << (row & 7));
            if ((bits & mask) == 0)
            {
                bits |= mask;
                _nulls--;
            }
        }

        public IEnumerable<DataFrameColumn> ToColumns(ColumnSpec spec, IReadOnlyList<(IColumnBuffer Buffer, int Rows)> parts) =>
            [Column(spec.Name, [.. parts.Select(p => ((PrimitiveBuffer<T>)p.Buffer, p.Rows))])];

        public static DataFrameColumn Column(string name, IReadOnlyList<(PrimitiveBuffer<T> Buffer, int Rows)> parts)
        {
            var rows = parts.Sum(p => p.Rows);
            var data = new byte[rows * Size];
            var valid = new byte[(rows + 7) / 8];
            var nulls = 0;
            var offset = 0;
            foreach (var (part, count) in parts)
            {
                part._data.MoveTo(MemoryMarshal.Cast<byte, T>(data.AsSpan(offset * Size, count * Size)), count);
                var bits = new byte[(count + 7) / 8];
                part._valid.MoveTo(bits, bits.Length);
                CopyBits(bits, valid, offset, count);
                nulls += part._nulls;
                offset += count;
            }
            object column = typeof(T) == typeof(double) ? new DoubleDataFrameColumn(name, data, valid, rows, nulls)
                : typeof(T) == typeof(int) ? new Int32DataFrameColumn(name, data, valid, rows, nulls)
                : typeof(T) == typeof(long) ? new Int64DataFrameColumn(name, data, valid, rows, nulls)
                : typeof(T) == typeof(DateTime) ? new DateTimeDataFrameColumn(name, data, valid, rows, nulls)
                : typeof(T) == typeof(bool) ? new BooleanDataFrameColumn(name, data, valid, rows, nulls)
                : throw new NotSupportedException(typeof(T).Name);
            return (DataFrameColumn)column;
        }

        /// <summary>Copies <paramref name="count"/> bits from the start of <paramref name="source"/> to bit <paramref name="at"/> of <paramref name="target"/>.</summary>
        private static void CopyBits(byte[] source, byte[] target, int at, int count)
        {
            if ((at & 7) == 0)
            {
                source.AsSpan(0, (count + 7) / 8).CopyTo(target.AsSpan(at >> 3));
                return;
            }
            for (var i = 0; i < count; i++)
            {
                if ((source[i >> 3] & (1 << (i & 7))) != 0)
                {
                    var bit = at + i;
                    target[bit >> 3] |= (byte)(1 << (bit & 7));
                }
            }
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

        public IEnumerable<DataFrameColumn> ToColumns(ColumnSpec spec, IReadOnlyList<(IColumnBuffer Buffer, int Rows)> parts)
        {
            var points = parts.Select(p => ((PointBuffer)p.Buffer, p.Rows)).ToArray();
            return
            [
                PrimitiveBuffer<double>.Column(spec.LatitudeName, [.. points.Select(p => (p.Item1._lat, p.Rows))]),
                PrimitiveBuffer<double>.Column(spec.LongitudeName, [.. points.Select(p => (p.Item1._lng, p.Rows))]),
            ];
        }
    }

    private sealed class TextBuffer(int capacity) : IColumnBuffer
    {
        private readonly Blocks<string?> _values = new(capacity);
        private readonly Utf8Interner _interner = new();

        public void Grow(int rows) => _values.Ensure(rows);

        public void Set(int row, string? value) => _values.At(row) = value;

        public void RemoveLast(int rows) => _values.At(rows - 1) = null;

        public string? Get(int row) => _values.At(row);

        public void Set(int row, ReadOnlySpan<byte> utf8) => _values.At(row) = _interner.Intern(utf8);

        public IEnumerable<DataFrameColumn> ToColumns(ColumnSpec spec, IReadOnlyList<(IColumnBuffer Buffer, int Rows)> parts)
        {
            var rows = parts.Sum(p => p.Rows);
            var column = new StringDataFrameColumn(spec.Name, rows);
            var offset = 0;
            foreach (var (buffer, count) in parts)
            {
                var values = new string?[count];
                ((TextBuffer)buffer)._values.MoveTo(values, count);
                for (var i = 0; i < count; i++)
                {
                    if (values[i] is { } value)
                    {
                        column[offset + i] = value;
                    }
                }
                offset += count;
            }
            return [column];
        }
    }
}
