using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Analysis;
using Parquet;
using Parquet.Schema;
using ServiceRequests.Frames;

namespace ServiceRequests.Portal;

/// <summary>
/// The columnar copy of the public table: a portal-shaped DataFrame (<see cref="PortalSchema.FrameColumnNames"/>)
/// as a Parquet file, one flat nullable column per DataFrame column. Texts are UTF-8 strings,
/// numbers doubles, priority and council district 32-bit integers, the canonical issue id a
/// 64-bit integer, and timestamps Parquet <c>TIMESTAMP(MILLIS, isAdjustedToUTC=false)</c>: city
/// wall-clock time, as on the portal, which DuckDB reads as <c>TIMESTAMP</c> and pandas as a
/// naive <c>datetime64</c>. Written and read with Parquet.Net.
/// </summary>
internal static class PortalParquet
{
    /// <summary>Rows per row group: about 100 MB of column data, so writing and reading stay streamed.</summary>
    private const int RowGroupRows = 1 << 20;

    /// <summary>The Parquet fields of the portal shape, in DataFrame column order.</summary>
    private static readonly (DataField Field, ColumnType Type)[] Fields =
    [
        .. PortalSchema.FrameColumns.SelectMany(spec => spec.Type == ColumnType.Point
            ? new[] { (Field(spec.LatitudeName, ColumnType.Number), ColumnType.Number), (Field(spec.LongitudeName, ColumnType.Number), ColumnType.Number) }
            : [(Field(spec.Name, spec.Type), spec.Type)]),
    ];

    private static DataField Field(string name, ColumnType type) => type switch
    {
        ColumnType.Text => new DataField<string>(name, nullable: true),
        ColumnType.Number => new DataField<double?>(name),
        ColumnType.Integer => new DataField<int?>(name),
        ColumnType.Long => new DataField<long?>(name),
        ColumnType.Timestamp => new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Millis, isNullable: true),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a portal column type."),
    };

    /// <summary>Writes a portal-shaped <paramref name="frame"/> (other columns are ignored) to <paramref name="stream"/> (writable and seekable).</summary>
    /// <exception cref="ArgumentException">A portal column is missing from the frame or has another type.</exception>
    public static async Task WriteAsync(DataFrame frame, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(stream);
        var columns = Array.ConvertAll(Fields, f => FrameColumn(frame, f.Field.Name));
        var schema = new ParquetSchema(Fields.Select(f => (Field)f.Field));
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, new ParquetOptions(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var rows = frame.Rows.Count;
        for (long start = 0; start < rows || (rows == 0 && start == 0); start += RowGroupRows)
        {
            var count = (int)Math.Min(RowGroupRows, rows - start);
            using var group = writer.CreateRowGroup();
            for (var i = 0; i < Fields.Length; i++)
            {
                var field = Fields[i].Field;
                switch (columns[i])
                {
                    case StringDataFrameColumn text:
                        var strings = new string?[count];
                        for (var r = 0; r < count; r++)
                        {
                            strings[r] = text[start + r];
                        }
                        await group.WriteAsync(field, strings!).ConfigureAwait(false);
                        break;
                    case PrimitiveDataFrameColumn<double> number:
                        await group.WriteAsync<double>(field, Slice(number, start, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                        break;
                    case PrimitiveDataFrameColumn<int> integer:
                        await group.WriteAsync<int>(field, Slice(integer, start, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                        break;
                    case PrimitiveDataFrameColumn<long> whole:
                        await group.WriteAsync<long>(field, Slice(whole, start, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                        break;
                    case PrimitiveDataFrameColumn<DateTime> time:
                        await group.WriteAsync<DateTime>(field, Slice(time, start, count), cancellationToken: cancellationToken).ConfigureAwait(false);
                        break;
                    default:
                        throw new ArgumentException($"Column '{field.Name}' has type {columns[i].DataType.Name}, not a portal column's.", nameof(frame));
                }
            }
            if (rows == 0)
            {
                break;
            }
        }
    }

    /// <summary>Writes portal rows (the sync store's public export) to <paramref name="stream"/>.</summary>
    public static void Write(IReadOnlyList<PortalRow> rows, Stream stream) =>
        WriteAsync(ToFrame(rows), stream).GetAwaiter().GetResult();

    /// <summary>
    /// Reads a portal-shaped Parquet file: the columns of <see cref="PortalSchema.FrameColumnNames"/>
    /// with the types this class writes (timestamps in any unit, but not UTC-adjusted; other
    /// columns are ignored).
    /// </summary>
    /// <exception cref="ServiceRequestsException">
    /// A portal column is missing or has another type (one line naming the file and the column),
    /// or the file is not readable Parquet (the message names the file).
    /// </exception>
    public static async Task<DataFrame> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnreadable(e))
        {
            throw NotParquet(path, e);
        }
        await using (reader.ConfigureAwait(false))
        {
            try
            {
                var fields = Array.ConvertAll(Fields, expected => Matching(path, reader.Schema, expected.Field, expected.Type));
                long total = 0;
                var groups = new List<(ParquetRowGroupReader Group, int Rows)>();
                for (var g = 0; g < reader.RowGroupCount; g++)
                {
                    var group = reader.OpenRowGroupReader(g);
                    if (group.RowCount < 0 || group.RowCount > int.MaxValue - total)
                    {
                        throw new ServiceRequestsException($"{path}: row group {g} claims {group.RowCount:N0} rows, more than one DataFrame holds.");
                    }
                    total += group.RowCount;
                    groups.Add((group, (int)group.RowCount));
                }
                var rows = (int)total;
                var counts = groups.ConvertAll(g => g.Rows);
                // Each column is read by its own reader (Parquet.Net readers are not shared across threads), a few at a time.
                using var gate = new SemaphoreSlim(Math.Max(1, Environment.ProcessorCount));
                var columns = await Task.WhenAll(Enumerable.Range(0, Fields.Length).Select(i => Task.Run(async () =>
                {
                    await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        var own = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
                        await using (own.ConfigureAwait(false))
                        {
                            var ownGroups = counts.Select((count, g) => (own.OpenRowGroupReader(g), count)).ToList();
                            return await ReadColumnAsync(fields[i], Fields[i].Type, ownGroups, rows, cancellationToken).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        gate.Release();
                    }
                }, cancellationToken))).ConfigureAwait(false);
                return new DataFrame(columns);
            }
            catch (Exception e) when (IsUnreadable(e))
            {
                throw NotParquet(path, e);
            }
        }
    }

    private static bool IsUnreadable(Exception e) =>
        e is not (OperationCanceledException or ServiceRequestsException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException);

    private static ServiceRequestsException NotParquet(string path, Exception e) =>
        new($"{path}: not a readable Parquet file ({e.GetType().Name}: {e.Message})", e);

    /// <summary>The file's field for <paramref name="expected"/>, or one line naming the file and the column.</summary>
    private static DataField Matching(string path, ParquetSchema schema, DataField expected, ColumnType type)
    {
        var found = schema.Fields.FirstOrDefault(f => f.Name == expected.Name);
        if (found is null)
        {
            throw new ServiceRequestsException(
                $"{path}: column '{expected.Name}' is missing; a portal-shaped Parquet file has the columns {string.Join(", ", Fields.Select(f => f.Field.Name))}.");
        }
        var wanted = Describe(type);
        if (found is not DataField field || field.IsArray || field.ClrType != expected.ClrType)
        {
            var actual = found switch
            {
                DataField { IsArray: true } data => $"a list of {Describe(data.ClrType)}",
                DataField data => Describe(data.ClrType),
                { SchemaType: SchemaType.List } => "a list",
                _ => $"a nested {found.SchemaType}",
            };
            throw new ServiceRequestsException($"{path}: column '{expected.Name}' is {actual}, expected {wanted}.");
        }
        if (field is DateTimeDataField { DateTimeFormat: DateTimeFormat.Date })
        {
            throw new ServiceRequestsException($"{path}: column '{expected.Name}' is a date without a time of day, expected {wanted}.");
        }
        if (field is DateTimeDataField { IsAdjustedToUTC: true })
        {
            throw new ServiceRequestsException(
                $"{path}: column '{expected.Name}' is a UTC-adjusted timestamp, expected {wanted}.");
        }
        return field;
    }

    private static string Describe(Type clr) =>
        clr == typeof(string) || clr == typeof(ReadOnlyMemory<char>) ? "String"
        : clr == typeof(byte[]) || clr == typeof(ReadOnlyMemory<byte>) ? "Binary"
        : clr.Name;

    private static string Describe(ColumnType type) => type switch
    {
        ColumnType.Text => "String (UTF-8 text)",
        ColumnType.Number => "Double",
        ColumnType.Integer => "Int32",
        ColumnType.Long => "Int64",
        _ => "a timestamp in city wall-clock time (isAdjustedToUTC=false)",
    };

    private static async Task<DataFrameColumn> ReadColumnAsync(DataField field, ColumnType type,
        List<(ParquetRowGroupReader Group, int Rows)> groups, int rows, CancellationToken cancellationToken)
    {
        switch (type)
        {
            case ColumnType.Text:
                var text = new StringDataFrameColumn(field.Name, rows);
                var interner = new Dictionary<string, string>(StringComparer.Ordinal);
                var offset = 0;
                foreach (var (group, count) in groups)
                {
                    var values = new string?[count];
                    await group.ReadAsync(field, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
                    for (var r = 0; r < count; r++)
                    {
                        if (values[r] is { } value)
                        {
                            // Repeated texts (status, type, neighborhood) share one string, as in a JSON load.
                            text[offset + r] = value.Length <= 64 && interner.Count < 1 << 16
                                ? interner.TryGetValue(value, out var known) ? known : interner[value] = value
                                : value;
                        }
                    }
                    offset += count;
                }
                return text;
            case ColumnType.Number:
                var (doubles, doubleValid, doubleNulls) = await ReadValuesAsync<double>(field, groups, rows, cancellationToken).ConfigureAwait(false);
                return new DoubleDataFrameColumn(field.Name, doubles, doubleValid, rows, doubleNulls);
            case ColumnType.Integer:
                var (ints, intValid, intNulls) = await ReadValuesAsync<int>(field, groups, rows, cancellationToken).ConfigureAwait(false);
                return new Int32DataFrameColumn(field.Name, ints, intValid, rows, intNulls);
            case ColumnType.Long:
                var (longs, longValid, longNulls) = await ReadValuesAsync<long>(field, groups, rows, cancellationToken).ConfigureAwait(false);
                return new Int64DataFrameColumn(field.Name, longs, longValid, rows, longNulls);
            default:
                // Floating (wall-clock) time, as a JSON load gives it: ReadValuesAsync drops the kind.
                var (times, timeValid, timeNulls) = await ReadValuesAsync<DateTime>(field, groups, rows, cancellationToken).ConfigureAwait(false);
                return new DateTimeDataFrameColumn(field.Name, times, timeValid, rows, timeNulls);
        }
    }

    /// <summary>A column's values in Arrow layout: the values' bytes, the validity bitmap and the null count.</summary>
    private static async Task<(byte[] Data, byte[] Valid, int Nulls)> ReadValuesAsync<T>(DataField field, List<(ParquetRowGroupReader Group, int Rows)> groups, int rows, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var size = Unsafe.SizeOf<T>();
        var data = new byte[(long)rows * size];
        var valid = new byte[(rows + 7) / 8];
        var nulls = 0;
        var offset = 0;
        foreach (var (group, count) in groups)
        {
            var values = new T?[count];
            await group.ReadAsync(field, values.AsMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
            nulls += Fill(values, MemoryMarshal.Cast<byte, T>(data.AsSpan(offset * size, count * size)), valid, offset);
            offset += count;
        }
        return (data, valid, nulls);
    }

    /// <summary>Copies <paramref name="values"/> to <paramref name="target"/> and sets their validity bits from bit <paramref name="offset"/>; returns the nulls.</summary>
    private static int Fill<T>(T?[] values, Span<T> target, byte[] valid, int offset)
        where T : unmanaged
    {
        var nulls = 0;
        for (var r = 0; r < values.Length; r++)
        {
            if (values[r] is { } value)
            {
                target[r] = typeof(T) == typeof(DateTime) ? (T)(object)DateTime.SpecifyKind((DateTime)(object)value, DateTimeKind.Unspecified) : value;
                var bit = offset + r;
                valid[bit >> 3] |= (byte)(1 << (bit & 7));
            }
            else
            {
                nulls++;
            }
        }
        return nulls;
    }

    private static DataFrameColumn FrameColumn(DataFrame frame, string name)
    {
        var index = frame.Columns.IndexOf(name);
        return index >= 0 ? frame.Columns[index] : throw new ArgumentException($"The frame has no column '{name}'.", nameof(frame));
    }

    private static T?[] Slice<T>(PrimitiveDataFrameColumn<T> column, long start, int count)
        where T : unmanaged
    {
        var values = new T?[count];
        for (var r = 0; r < count; r++)
        {
            values[r] = column[start + r];
        }
        return values;
    }

    /// <summary>Portal rows as a portal-shaped DataFrame.</summary>
    internal static DataFrame ToFrame(IReadOnlyList<PortalRow> rows)
    {
        var builder = new FrameBuilder(PortalSchema.FrameColumns, rows.Count);
        int Column(string name) => builder.IndexOf(name);
        var (id, status, type, description, created, acknowledged, closed, reopened, updated, days, method, priority, canonical, url, address, neighborhood, district, location) =
            (Column(PortalSchema.Id), Column(PortalSchema.Status), Column(PortalSchema.RequestTypeTitle), Column(PortalSchema.Description),
             Column(PortalSchema.CreatedAt), Column(PortalSchema.AcknowledgedAt), Column(PortalSchema.ClosedAt), Column(PortalSchema.ReopenedAt),
             Column(PortalSchema.UpdatedAt), Column(PortalSchema.DaysToClose), Column(PortalSchema.ReportMethod), Column(PortalSchema.PriorityCode),
             Column(PortalSchema.CanonicalIssueId), Column(PortalSchema.WebUrl), Column(PortalSchema.Address), Column(PortalSchema.Neighborhood),
             Column(PortalSchema.CouncilDistrict), Column(PortalSchema.Location));
        void Time(int column, DateTime? value)
        {
            if (value is { } v)
            {
                builder.SetTimestamp(column, v);
            }
        }
        foreach (var row in rows)
        {
            builder.AddRow();
            builder.SetText(id, row.Id);
            builder.SetText(status, row.Status);
            builder.SetText(type, row.RequestTypeTitle);
            builder.SetText(description, row.Description);
            Time(created, row.CreatedAt);
            Time(acknowledged, row.AcknowledgedAt);
            Time(closed, row.ClosedAt);
            Time(reopened, row.ReopenedAt);
            Time(updated, row.UpdatedAt);
            if (row.DaysToClose is { } d)
            {
                builder.SetNumber(days, d);
            }
            builder.SetText(method, row.ReportMethod);
            if (row.PriorityCode is { } p)
            {
                builder.SetInteger(priority, p);
            }
            if (row.CanonicalIssueId is { } c)
            {
                builder.SetInteger(canonical, c);
            }
            builder.SetText(url, row.WebUrl);
            builder.SetText(address, row.Address);
            builder.SetText(neighborhood, row.Neighborhood);
            if (row.CouncilDistrict is { } k)
            {
                builder.SetInteger(district, k);
            }
            if (row is { Latitude: { } lat, Longitude: { } lng })
            {
                builder.SetPoint(location, lat, lng);
            }
        }
        return builder.ToDataFrame();
    }
}
