using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace ServiceRequests.Socrata;

/// <summary>
/// Writes portal rows as the Socrata JSON endpoint serves them: an array of objects, numbers as
/// strings, floating timestamps as <c>2017-03-05T14:02:11.000</c>, the point as GeoJSON, and
/// null fields left out of a row.
/// </summary>
public static class PortalJson
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

    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/> atomically; gzip-compressed when the name ends in <c>.gz</c>.</summary>
    public static void WriteFile(IEnumerable<PortalRow> rows, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, stream =>
        {
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                using var gzip = new GZipStream(stream, CompressionLevel.SmallestSize, leaveOpen: true);
                using var buffered = new BufferedStream(gzip, 1 << 16);
                Write(rows, buffered);
            }
            else
            {
                // Not disposed: that would close the file before AtomicFile flushes it to disk.
                var buffered = new BufferedStream(stream, 1 << 16);
                Write(rows, buffered);
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
        Text(json, PortalSchema.Id, row.Id);
        Text(json, PortalSchema.Status, row.Status);
        Text(json, PortalSchema.RequestTypeTitle, row.RequestTypeTitle);
        Text(json, PortalSchema.Description, row.Description);
        Time(json, PortalSchema.CreatedAt, row.CreatedAt);
        Time(json, PortalSchema.AcknowledgedAt, row.AcknowledgedAt);
        Time(json, PortalSchema.ClosedAt, row.ClosedAt);
        Time(json, PortalSchema.ReopenedAt, row.ReopenedAt);
        Time(json, PortalSchema.UpdatedAt, row.UpdatedAt);
        Text(json, PortalSchema.DaysToClose, row.DaysToClose?.ToString("R", CultureInfo.InvariantCulture));
        Text(json, PortalSchema.ReportMethod, row.ReportMethod);
        Text(json, PortalSchema.PriorityCode, row.PriorityCode?.ToString(CultureInfo.InvariantCulture));
        Text(json, PortalSchema.CanonicalIssueId, row.CanonicalIssueId?.ToString(CultureInfo.InvariantCulture));
        Text(json, PortalSchema.WebUrl, row.WebUrl);
        Text(json, PortalSchema.Address, row.Address);
        Text(json, PortalSchema.Neighborhood, row.Neighborhood);
        Text(json, PortalSchema.CouncilDistrict, row.CouncilDistrict?.ToString(CultureInfo.InvariantCulture));
        if (row.Latitude is { } lat && row.Longitude is { } lng)
        {
            json.WriteStartObject(PortalSchema.Location);
            json.WriteString("type", "Point");
            json.WriteStartArray("coordinates");
            json.WriteNumberValue(lng);
            json.WriteNumberValue(lat);
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    private static void Text(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void Time(Utf8JsonWriter json, string name, DateTime? value)
    {
        if (value is { } v)
        {
            json.WriteString(name, v.ToString(FloatingTimestampFormat, CultureInfo.InvariantCulture));
        }
    }
}
