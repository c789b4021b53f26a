using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;
using ParquetSharp;
using ParquetSharp.Schema;
using ServiceRequests.Frames;

namespace ServiceRequests.Portal;

/// <summary>
/// The columnar copy of the public table: a portal-shaped DataFrame (<see cref="PortalSchema.FrameColumnNames"/>)
/// as a Parquet file, one flat optional column per DataFrame column. Texts are UTF-8 strings,
/// numbers doubles, priority and council district 32-bit integers, the canonical issue id a
/// 64-bit integer, and timestamps Parquet <c>TIMESTAMP(MILLIS, isAdjustedToUTC=false)</c>: city
/// wall-clock time, as on the portal, which DuckDB reads as <c>TIMESTAMP</c> and pandas as a
/// naive <c>datetime64</c>. Written and read with ParquetSharp (Apache Parquet C++): its column
/// readers hand out values and definition levels in bulk, so repeated texts are interned straight
/// from their UTF-8 bytes and timestamps converted from integers without a per-value detour;
/// a load reads only the columns it is asked for, each column on its own reader in parallel.
/// </summary>
internal static partial class PortalParquet
{
    /// <summary>Rows per row group: about 100 MB of column data, so writing and reading stay streamed.</summary>
    private const int RowGroupRows = 1 << 20;

    /// <summary>Values read per batch (definition levels and values of one batch stay in cache).</summary>
    private const int BatchRows = 1 << 14;

    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    /// <summary>The Parquet columns of the portal shape, in DataFrame column order.</summary>
    private static readonly (string Name, ColumnType Type)[] Fields =
    [
        .. PortalSchema.FrameColumns.SelectMany(spec => spec.Type == ColumnType.Point
            ? new[] { (spec.LatitudeName, ColumnType.Number), (spec.LongitudeName, ColumnType.Number) }
            : [(spec.Name, spec.Type)]),
    ];

    private static Column Declare(string name, ColumnType type) => type switch
    {
        ColumnType.Text => new Column<string>(name, LogicalType.String()),
        ColumnType.Number => new Column<double?>(name),
        ColumnType.Integer => new Column<int?>(name),
        ColumnType.Long => new Column<long?>(name),
        ColumnType.Timestamp => new Column<DateTime?>(name, LogicalType.Timestamp(isAdjustedToUtc: false, TimeUnit.Millis)),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a portal column type."),
    };

    /// <summary>Writes a portal-shaped <paramref name="frame"/> (other columns are ignored) to <paramref name="stream"/> (writable; left open).</summary>
    /// <exception cref="ArgumentException">A portal column is missing from the frame or has another type.</exception>
    public static void Write(DataFrame frame, Stream stream)
    {
        using var writer = new Writer(stream);
        writer.Append(frame);
        writer.Close();
    }

    /// <summary>Writes portal rows (the sync store's public export) to <paramref name="stream"/>.</summary>
    public static void Write(IReadOnlyList<PortalRow> rows, Stream stream) => Write(ToFrame(rows), stream);

    /// <summary>
    /// A portal-shaped Parquet file written frame by frame (row groups of at most
    /// <see cref="RowGroupRows"/> rows), for tables larger than one frame in memory.
    /// </summary>
    internal sealed class Writer : IDisposable
    {
        private readonly ParquetFileWriter _file;
        private bool _empty = true;

        /// <summary>Starts the file on <paramref name="stream"/> (writable; left open).</summary>
        public Writer(Stream stream)
        {
            ArgumentNullException.ThrowIfNull(stream);
            using var properties = new WriterPropertiesBuilder().Compression(Compression.Snappy).CreatedBy("ServiceRequests").Build();
            _file = new ParquetFileWriter(stream, [.. Fields.Select(f => Declare(f.Name, f.Type))], logicalTypeFactory: null, properties, keyValueMetadata: null, leaveOpen: true);
        }

        /// <summary>Appends the rows of a portal-shaped <paramref name="frame"/>.</summary>
        /// <exception cref="ArgumentException">A portal column is missing from the frame or has another type.</exception>
        public void Append(DataFrame frame)
        {
            ArgumentNullException.ThrowIfNull(frame);
            var columns = Array.ConvertAll(Fields, f => FrameColumn(frame, f.Name));
            var rows = frame.Rows.Count;
            for (long start = 0; start < rows; start += RowGroupRows)
            {
                WriteGroup(columns, start, (int)Math.Min(RowGroupRows, rows - start));
            }
            _empty &= rows == 0;
        }

        /// <summary>Finishes the file (an empty table gets one empty row group, as readers expect a schema and no rows).</summary>
        public void Close()
        {
            if (_empty)
            {
                using var group = _file.AppendRowGroup();
                foreach (var _ in Fields)
                {
                    using var column = group.NextColumn();
                }
                _empty = false;
            }
            _file.Close();
        }

        public void Dispose() => _file.Dispose();

        private void WriteGroup(DataFrameColumn[] columns, long start, int count)
        {
            using var group = _file.AppendRowGroup();
            for (var i = 0; i < Fields.Length; i++)
            {
                using var column = group.NextColumn();
                switch (columns[i])
                {
                    case StringDataFrameColumn text:
                        var strings = new string?[count];
                        for (var r = 0; r < count; r++)
                        {
                            strings[r] = text[start + r];
                        }
                        using (var writer = column.LogicalWriter<string?>())
                        {
                            writer.WriteBatch(strings);
                        }
                        break;
                    case PrimitiveDataFrameColumn<double> number:
                        WriteValues(column, number, start, count, static v => v);
                        break;
                    case PrimitiveDataFrameColumn<int> integer:
                        WriteValues(column, integer, start, count, static v => v);
                        break;
                    case PrimitiveDataFrameColumn<long> whole:
                        WriteValues(column, whole, start, count, static v => v);
                        break;
                    case PrimitiveDataFrameColumn<DateTime> time:
                        WriteValues(column, time, start, count, static t => (t.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond);
                        break;
                    default:
                        throw new ArgumentException($"Column '{Fields[i].Name}' has type {columns[i].DataType.Name}, not a portal column's.", nameof(columns));
                }
            }
        }

        /// <summary>Writes the values of rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> as <paramref name="stored"/> gives them, nulls as definition level 0.</summary>
        private static void WriteValues<T, TStored>(ColumnWriter column, PrimitiveDataFrameColumn<T> values, long start, int count, Func<T, TStored> stored)
            where T : unmanaged
            where TStored : unmanaged
        {
            var (levels, present) = (new short[count], new TStored[count]);
            var n = 0;
            for (var r = 0; r < count; r++)
            {
                if (values[start + r] is { } value)
                {
                    levels[r] = 1;
                    present[n++] = stored(value);
                }
            }
            ((ColumnWriter<TStored>)column).WriteBatch(count, levels, default, present.AsSpan(0, n));
        }
    }

    private static DataFrameColumn FrameColumn(DataFrame frame, string name)
    {
        var index = frame.Columns.IndexOf(name);
        return index >= 0 ? frame.Columns[index] : throw new ArgumentException($"The frame has no column '{name}'.", nameof(frame));
    }

    /// <summary>Portal rows as a portal-shaped DataFrame, each column set as <see cref="PortalSchema.Columns"/> says.</summary>
    internal static DataFrame ToFrame(IReadOnlyList<PortalRow> rows)
    {
        var builder = new FrameBuilder(PortalSchema.FrameColumns, rows.Count);
        var columns = PortalSchema.Columns;
        var indexes = columns.Select(c => builder.IndexOf(c.Name)).ToArray();
        foreach (var row in rows)
        {
            builder.AddRow();
            for (var i = 0; i < indexes.Length; i++)
            {
                columns[i].SetIn(builder, indexes[i], row);
            }
        }
        return builder.ToDataFrame();
    }
}
