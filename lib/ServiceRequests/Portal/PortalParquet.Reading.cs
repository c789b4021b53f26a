using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;
using ParquetSharp;
using ParquetSharp.Schema;
using ServiceRequests.Frames;

namespace ServiceRequests.Portal;

/// <content>Reading: the wanted columns checked against the file's schema, then read each on its own reader, in parallel.</content>
internal static partial class PortalParquet
{
    /// <summary>
    /// Reads a portal-shaped Parquet file: the columns of <see cref="PortalSchema.FrameColumnNames"/>
    /// (or only <paramref name="columns"/> of them, in that shape's order) with the types this class
    /// writes (timestamps in any unit, INT96 included, but not UTC-adjusted; other columns are ignored).
    /// </summary>
    /// <exception cref="ServiceRequestsException">
    /// A wanted column is missing or has another type (one line naming the file and the column),
    /// or the file is not readable Parquet (the message names the file).
    /// </exception>
    public static DataFrame Read(string path, IReadOnlyCollection<string>? columns = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var wanted = columns is null ? Fields : [.. Fields.Where(f => columns.Contains(f.Name))];
        try
        {
            int[] indexes;
            long[] groupRows;
            using (var file = new ParquetFileReader(path))
            {
                using var metadata = file.FileMetaData;
                var schema = metadata.Schema;
                indexes = Array.ConvertAll(wanted, f => Matching(path, schema, f.Name, f.Type));
                groupRows = [.. Enumerable.Range(0, metadata.NumRowGroups).Select(g =>
                {
                    using var group = file.RowGroup(g);
                    return group.MetaData.NumRows;
                })];
            }
            var total = groupRows.Sum();
            if (groupRows.Any(n => n < 0) || total > int.MaxValue)
            {
                throw new ServiceRequestsException($"{path}: the row groups claim {total:N0} rows, more than one DataFrame holds.");
            }
            var result = new DataFrameColumn[wanted.Length];
            // Each column on its own file reader (a Parquet C++ reader is not shared across threads).
            Parallel.For(0, wanted.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, i =>
            {
                using var file = new ParquetFileReader(path);
                result[i] = ReadColumn(file, indexes[i], wanted[i].Name, wanted[i].Type, groupRows, (int)total, cancellationToken);
            });
            return new DataFrame(result);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            var first = e.InnerExceptions[0];
            throw first is ServiceRequestsException or OperationCanceledException ? first : IsUnreadable(first) ? NotParquet(path, first) : first;
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw NotParquet(path, e);
        }
    }

    /// <summary>Whether <paramref name="e"/> says the file is not Parquet (and not that it is missing, unreadable to us, or that Parquet itself cannot run here).</summary>
    private static bool IsUnreadable(Exception e) =>
        e is not (OperationCanceledException or ServiceRequestsException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException
            or DllNotFoundException or TypeInitializationException or BadImageFormatException or EntryPointNotFoundException);

    private static ServiceRequestsException NotParquet(string path, Exception e) =>
        new($"{path}: not a readable Parquet file ({e.GetType().Name}: {e.Message.Split('\n')[0].Trim()})", e);

    /// <summary>The leaf index of the file's column <paramref name="name"/>, or one line naming the file and the column.</summary>
    private static int Matching(string path, SchemaDescriptor schema, string name, ColumnType type)
    {
        using var root = schema.GroupNode;
        var field = root.FieldIndex(name);
        if (field < 0)
        {
            throw new ServiceRequestsException(
                $"{path}: column '{name}' is missing; a portal-shaped Parquet file has the columns {string.Join(", ", Fields.Select(f => f.Name))}.");
        }
        using var node = root.Field(field);
        var wanted = Describe(type);
        if (node is GroupNode)
        {
            var what = node.LogicalType is ListLogicalType || node.ConvertedType == ConvertedType.List ? "a list" : "a nested group (struct)";
            throw new ServiceRequestsException($"{path}: column '{name}' is {what}, expected {wanted}.");
        }
        var index = schema.ColumnIndex(node);
        var column = schema.Column(index);
        var actual = Describe(column);
        if (node.Repetition == Repetition.Repeated)
        {
            throw new ServiceRequestsException($"{path}: column '{name}' is a list of {actual}, expected {wanted}.");
        }
        using var logical = column.LogicalType;
        var fits = type switch
        {
            ColumnType.Text => column.PhysicalType == PhysicalType.ByteArray && logical is StringLogicalType,
            ColumnType.Number => column.PhysicalType == PhysicalType.Double,
            ColumnType.Integer => column.PhysicalType == PhysicalType.Int32 && logical is NoneLogicalType or IntLogicalType,
            ColumnType.Long => column.PhysicalType == PhysicalType.Int64 && logical is NoneLogicalType or IntLogicalType,
            _ => (column.PhysicalType == PhysicalType.Int64 && logical is TimestampLogicalType { IsAdjustedToUtc: false })
                 || (column.PhysicalType == PhysicalType.Int96 && logical is NoneLogicalType),
        };
        if (!fits)
        {
            throw new ServiceRequestsException($"{path}: column '{name}' is {actual}, expected {wanted}.");
        }
        return index;
    }

    /// <summary>What a file's column holds, in the words of the messages.</summary>
    private static string Describe(ColumnDescriptor column)
    {
        using var logical = column.LogicalType;
        return (column.PhysicalType, logical) switch
        {
            (_, StringLogicalType or JsonLogicalType or EnumLogicalType) => "String",
            (PhysicalType.ByteArray or PhysicalType.FixedLenByteArray, _) => "Binary",
            (_, DateLogicalType) => "a date without a time of day",
            (_, TimestampLogicalType { IsAdjustedToUtc: true }) => "a UTC-adjusted timestamp",
            (_, TimestampLogicalType) => "a timestamp",
            (_, TimeLogicalType) => "a time of day without a date",
            (_, DecimalLogicalType) => "Decimal",
            (PhysicalType.Int32, IntLogicalType { BitWidth: var bits }) when bits < 32 => $"Int{bits}",
            (PhysicalType.Int64, IntLogicalType { IsSigned: false }) => "UInt64",
            (PhysicalType.Int96, _) => "a timestamp (INT96)",
            (PhysicalType.Float, _) => "Single",
            (var physical, _) => physical.ToString(),
        };
    }

    private static string Describe(ColumnType type) => type switch
    {
        ColumnType.Text => "String (UTF-8 text)",
        ColumnType.Number => "Double",
        ColumnType.Integer => "Int32",
        ColumnType.Long => "Int64",
        _ => "a timestamp in city wall-clock time (isAdjustedToUTC=false)",
    };

    private static DataFrameColumn ReadColumn(ParquetFileReader file, int index, string name, ColumnType type, long[] groupRows, int rows, CancellationToken cancellationToken)
    {
        var levels = new short[BatchRows];
        switch (type)
        {
            case ColumnType.Text:
                var text = new StringDataFrameColumn(name, rows);
                var interner = new Utf8Interner();
                var bytes = new ByteArray[BatchRows];
                var scratch = new byte[256];
                ForEachBatch<ByteArray>(file, index, groupRows, levels, bytes, (row, count, present) =>
                {
                    for (int r = 0, v = 0; r < count; r++)
                    {
                        if (levels[r] > 0)
                        {
                            // The values live in the reader's native buffers until its next batch.
                            var value = bytes[v++];
                            if (value.Length > scratch.Length)
                            {
                                scratch = new byte[Math.Max(value.Length, scratch.Length * 2)];
                            }
                            Marshal.Copy(value.Pointer, scratch, 0, value.Length);
                            text[row + r] = interner.Intern(scratch.AsSpan(0, value.Length));
                        }
                    }
                }, cancellationToken);
                return text;
            case ColumnType.Number:
                var (doubles, doubleValid, doubleNulls) = Values<double, double>(file, index, groupRows, rows, levels, Same, cancellationToken);
                return new DoubleDataFrameColumn(name, doubles, doubleValid, rows, doubleNulls);
            case ColumnType.Integer:
                var (ints, intValid, intNulls) = Values<int, int>(file, index, groupRows, rows, levels, Same, cancellationToken);
                return new Int32DataFrameColumn(name, ints, intValid, rows, intNulls);
            case ColumnType.Long:
                var (longs, longValid, longNulls) = Values<long, long>(file, index, groupRows, rows, levels, Same, cancellationToken);
                return new Int64DataFrameColumn(name, longs, longValid, rows, longNulls);
            default:
                return Times(file, index, name, groupRows, rows, levels, cancellationToken);
        }
    }

    private static T[] Same<T>(T[] values, int present) => values;

    /// <summary>
    /// Reads column <paramref name="index"/> of every row group in batches: for each batch calls
    /// <paramref name="batch"/> with the first row's number, the rows read (their definition levels
    /// in <paramref name="levels"/>) and the values present (at the start of <paramref name="values"/>).
    /// </summary>
    private static void ForEachBatch<T>(ParquetFileReader file, int index, long[] groupRows, short[] levels, T[] values,
        Action<int, int, int> batch, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var row = 0;
        for (var g = 0; g < groupRows.Length; g++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var group = file.RowGroup(g);
            using var reader = group.Column(index);
            if (reader is not ColumnReader<T> typed)
            {
                throw new InvalidDataException($"row group {g} holds {reader.Type} values in a {typeof(T).Name} column");
            }
            var left = groupRows[g];
            while (left > 0)
            {
                var read = (int)typed.ReadBatch(Math.Min(BatchRows, left), levels, default, values, out var present);
                if (read == 0)
                {
                    throw new InvalidDataException($"row group {g} ends {left:N0} rows early");
                }
                batch(row, read, (int)present);
                row += read;
                left -= read;
            }
        }
    }

    /// <summary>
    /// A column's values in Arrow layout (the values' bytes, the validity bitmap, the null count):
    /// each batch's present values, read as <typeparamref name="TRaw"/>, become <typeparamref name="T"/>
    /// through <paramref name="convert"/> (given the batch and how many are present; it may convert in place).
    /// </summary>
    private static (byte[] Data, byte[] Valid, int Nulls) Values<TRaw, T>(ParquetFileReader file, int index, long[] groupRows, int rows, short[] levels,
        Func<TRaw[], int, T[]> convert, CancellationToken cancellationToken)
        where TRaw : unmanaged
        where T : unmanaged
    {
        var data = new byte[(long)rows * Marshal.SizeOf<T>()];
        var valid = new byte[(rows + 7) / 8];
        var nulls = 0;
        var batch = new TRaw[BatchRows];
        ForEachBatch(file, index, groupRows, levels, batch, (row, count, present) =>
        {
            var target = MemoryMarshal.Cast<byte, T>(data.AsSpan()).Slice(row, count);
            nulls += Spread(levels, count, convert(batch, present), present, target, valid, row);
        }, cancellationToken);
        return (data, valid, nulls);
    }

    private static DateTimeDataFrameColumn Times(ParquetFileReader file, int index, string name, long[] groupRows, int rows, short[] levels, CancellationToken cancellationToken)
    {
        using var metadata = file.FileMetaData;
        var column = metadata.Schema.Column(index);
        using var logical = column.LogicalType;
        var (data, valid, nulls) = column.PhysicalType == PhysicalType.Int96
            ? Values<Int96, long>(file, index, groupRows, rows, levels, FromInt96(new long[BatchRows]), cancellationToken)
            : Values<long, long>(file, index, groupRows, rows, levels, FromUnixTime(((TimestampLogicalType)logical).TimeUnit), cancellationToken);
        foreach (var ticks in MemoryMarshal.Cast<byte, long>(data.AsSpan()))
        {
            if ((ulong)ticks > (ulong)DateTime.MaxValue.Ticks)
            {
                throw new InvalidDataException($"column '{name}' holds a timestamp outside the years 1 to 9999");
            }
        }
        // Ticks with DateTimeKind.Unspecified (the top two bits clear): floating wall-clock time, as a JSON load gives it.
        return new DateTimeDataFrameColumn(name, data, valid, rows, nulls);
    }

    /// <summary>INT64 timestamps in <paramref name="unit"/> since the Unix epoch to ticks, in place.</summary>
    private static Func<long[], int, long[]> FromUnixTime(TimeUnit unit) => (batch, present) =>
    {
        for (var v = 0; v < present; v++)
        {
            batch[v] = checked(UnixEpochTicks + unit switch
            {
                TimeUnit.Millis => batch[v] * TimeSpan.TicksPerMillisecond,
                TimeUnit.Micros => batch[v] * 10,
                _ => batch[v] / 100,
            });
        }
        return batch;
    };

    /// <summary>INT96 timestamps (nanoseconds of the day, 8 bytes little-endian, then the Julian day number, 4 bytes) to ticks in <paramref name="ticks"/>.</summary>
    private static Func<Int96[], int, long[]> FromInt96(long[] ticks) => (batch, present) =>
    {
        for (var v = 0; v < present; v++)
        {
            var nanos = (long)(uint)batch[v].A | ((long)batch[v].B << 32);
            ticks[v] = checked(((batch[v].C - 2440588L) * TimeSpan.TicksPerDay) + UnixEpochTicks + (nanos / 100));
        }
        return ticks;
    };

    /// <summary>
    /// Places the <paramref name="present"/> values of a batch of <paramref name="count"/> rows
    /// where their definition levels say, setting validity bits from bit <paramref name="row"/>;
    /// returns the nulls.
    /// </summary>
    private static int Spread<T>(short[] levels, int count, T[] values, int present, Span<T> target, byte[] valid, int row)
        where T : unmanaged
    {
        if (present == count)
        {
            values.AsSpan(0, count).CopyTo(target);
            for (var r = 0; r < count; r++)
            {
                var bit = row + r;
                valid[bit >> 3] |= (byte)(1 << (bit & 7));
            }
            return 0;
        }
        for (int r = 0, v = 0; r < count; r++)
        {
            if (levels[r] > 0)
            {
                target[r] = values[v++];
                var bit = row + r;
                valid[bit >> 3] |= (byte)(1 << (bit & 7));
            }
        }
        return count - present;
    }
}
