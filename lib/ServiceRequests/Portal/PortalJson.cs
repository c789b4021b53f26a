using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.Data.Analysis;
using ServiceRequests.Frames;
using ServiceRequests.IO;

namespace ServiceRequests.Portal;

/// <summary>
/// Writes portal rows as the Socrata JSON endpoint serves them: an array of objects, numbers as
/// strings, floating timestamps as <c>2017-03-05T14:02:11.000</c>, the point as GeoJSON, and
/// null fields left out of a row. Writes rows or a portal-shaped DataFrame.
/// </summary>
internal static class PortalJson
{
    /// <summary>The floating-timestamp format of the Socrata JSON endpoint.</summary>
    public const string FloatingTimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff";

    /// <summary>Writes <paramref name="rows"/> to <paramref name="stream"/> as a JSON array, one row per line.</summary>
    public static void Write(IEnumerable<PortalRow> rows, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(rows);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true });
        stream.WriteByte((byte)'[');
        var first = true;
        foreach (var row in rows)
        {
            if (!first)
            {
                stream.WriteByte((byte)',');
            }
            stream.WriteByte((byte)'\n');
            WriteRow(json, row);
            json.Flush();
            json.Reset();
            first = false;
        }
        stream.WriteByte((byte)'\n');
        stream.WriteByte((byte)']');
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/> atomically; gzip-compressed (smallest) when the name ends in <c>.gz</c>.</summary>
    public static void WriteFile(IEnumerable<PortalRow> rows, string path)
    {
        ArgumentNullException.ThrowIfNull(rows);
        WriteFile(path, CompressionLevel.SmallestSize, stream => Write(rows, stream));
    }

    /// <summary>
    /// Writes a DataFrame in the portal shape (<see cref="PortalSchema.FrameColumnNames"/>; other
    /// columns are ignored) as portal JSON: the inverse of loading it.
    /// </summary>
    /// <exception cref="ArgumentException">A portal column is missing or has another type.</exception>
    public static void Write(DataFrame frame, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(stream);
        var fields = PortalSchema.FrameColumns.Select(spec => FieldWriter.For(frame, spec)).ToArray();
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true });
        stream.WriteByte((byte)'[');
        for (long row = 0; row < frame.Rows.Count; row++)
        {
            if (row > 0)
            {
                stream.WriteByte((byte)',');
            }
            stream.WriteByte((byte)'\n');
            json.WriteStartObject();
            foreach (var field in fields)
            {
                field.Write(json, row);
            }
            json.WriteEndObject();
            json.Flush();
            json.Reset();
        }
        stream.WriteByte((byte)'\n');
        stream.WriteByte((byte)']');
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Writes a portal-shaped DataFrame to <paramref name="path"/> atomically; gzip-compressed (fast) when the name ends in <c>.gz</c>.</summary>
    /// <inheritdoc cref="Write(DataFrame, Stream)" path="/exception"/>
    public static void WriteFile(DataFrame frame, string path)
    {
        ArgumentNullException.ThrowIfNull(frame);
        WriteFile(path, CompressionLevel.Fastest, stream => Write(frame, stream));
    }

    private static void WriteFile(string path, CompressionLevel level, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, stream =>
        {
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                using var gzip = new GZipStream(stream, level, leaveOpen: true);
                using var buffered = new BufferedStream(gzip, 1 << 16);
                write(buffered);
            }
            else
            {
                // Not disposed: that would close the file before AtomicFile flushes it to disk.
                var buffered = new BufferedStream(stream, 1 << 16);
                write(buffered);
                buffered.Flush();
            }
        });
    }

    /// <summary>Writes one row as a JSON object (null fields left out).</summary>
    public static void WriteRow(Utf8JsonWriter json, PortalRow row)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(row);
        json.WriteStartObject();
        foreach (var column in PortalSchema.Columns)
        {
            column.WriteJson(json, row);
        }
        json.WriteEndObject();
    }

    /// <summary>Writes one portal column of a DataFrame row, as the portal serves it (left out when null).</summary>
    private sealed class FieldWriter(string name, Action<Utf8JsonWriter, string, long> write)
    {
        public void Write(Utf8JsonWriter json, long row) => write(json, name, row);

        public static FieldWriter For(DataFrame frame, ColumnSpec spec)
        {
            T Column<T>(string column) where T : DataFrameColumn =>
                (frame.Columns.IndexOf(column) >= 0 ? frame.Columns[column] : null) as T
                ?? throw new ArgumentException($"The frame has no {typeof(T).Name} column '{column}' (the portal shape needs it).", nameof(frame));
            var inv = CultureInfo.InvariantCulture;
            switch (spec.Type)
            {
                case ColumnType.Text:
                    var text = Column<StringDataFrameColumn>(spec.Name);
                    return new(spec.Name, (json, name, row) => Text(json, name, text[row]));
                case ColumnType.Number:
                    var number = Column<DoubleDataFrameColumn>(spec.Name);
                    return new(spec.Name, (json, name, row) => Text(json, name, number[row]?.ToString("R", inv)));
                case ColumnType.Integer:
                    var integer = Column<Int32DataFrameColumn>(spec.Name);
                    return new(spec.Name, (json, name, row) => Text(json, name, integer[row]?.ToString(inv)));
                case ColumnType.Long:
                    var whole = Column<Int64DataFrameColumn>(spec.Name);
                    return new(spec.Name, (json, name, row) => Text(json, name, whole[row]?.ToString(inv)));
                case ColumnType.Timestamp:
                    var time = Column<DateTimeDataFrameColumn>(spec.Name);
                    return new(spec.Name, (json, name, row) => Time(json, name, time[row]));
                case ColumnType.Point:
                    var lat = Column<DoubleDataFrameColumn>(spec.LatitudeName);
                    var lng = Column<DoubleDataFrameColumn>(spec.LongitudeName);
                    return new(spec.Name, (json, name, row) => Point(json, name, lat[row], lng[row]));
                default:
                    throw new ArgumentException($"The portal has no {spec.Type} column.", nameof(spec));
            }
        }
    }

    /// <summary>Writes a point as GeoJSON (left out unless both coordinates are there).</summary>
    internal static void Point(Utf8JsonWriter json, string name, double? latitude, double? longitude)
    {
        if (latitude is { } lat && longitude is { } lng)
        {
            json.WriteStartObject(name);
            json.WriteString("type", "Point");
            json.WriteStartArray("coordinates");
            json.WriteNumberValue(lng);
            json.WriteNumberValue(lat);
            json.WriteEndArray();
            json.WriteEndObject();
        }
    }

    /// <summary>Writes a text field (left out when null).</summary>
    internal static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>Writes a floating timestamp (left out when null).</summary>
    internal static void Time(Utf8JsonWriter json, string name, DateTime? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, v.ToString(FloatingTimestampFormat, CultureInfo.InvariantCulture));
        }
    }
}
