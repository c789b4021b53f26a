using System.Globalization;
using System.Text.Json;
using ServiceRequests.Frames;

namespace ServiceRequests.Portal;

/// <summary>
/// One column of the public (portal) table (<see cref="PortalSchema.Columns"/>): its name, types
/// and description, and how its value is read from a <see cref="PortalRow"/> and written as JSON
/// (<see cref="PortalJson"/>), into a DataFrame (the Parquet copy) and as CSV text (the store's
/// public table). The kind of column (text, timestamp, number, integer, long, point) fixes its
/// Socrata and DataFrame types and how each writer spells its value.
/// </summary>
/// <param name="name">Column (field) name on the portal.</param>
/// <param name="socrataType">Socrata data type: <c>text</c>, <c>number</c>, <c>floating_timestamp</c> or <c>point</c>.</param>
/// <param name="frameType">How it is typed in a DataFrame.</param>
/// <param name="description">What it holds.</param>
internal abstract class PortalColumn(string name, string socrataType, ColumnType frameType, string description)
{
    /// <summary>Column (field) name on the portal.</summary>
    public string Name { get; } = name;

    /// <summary>Socrata data type: <c>text</c>, <c>number</c>, <c>floating_timestamp</c> or <c>point</c>.</summary>
    public string SocrataType { get; } = socrataType;

    /// <summary>How it is typed in a DataFrame.</summary>
    public ColumnType FrameType { get; } = frameType;

    /// <summary>What it holds.</summary>
    public string Description { get; } = description;

    /// <summary>Writes the row's value as the portal's JSON serves it (left out when null).</summary>
    public abstract void WriteJson(Utf8JsonWriter json, PortalRow row);

    /// <summary>Sets the row's value in <paramref name="column"/> of the builder's last row (left null when null).</summary>
    public abstract void SetIn(FrameBuilder builder, int column, PortalRow row);

    /// <summary>The row's value as CSV text, or null.</summary>
    public abstract string? CsvText(PortalRow row);

    /// <summary>A text column.</summary>
    internal sealed class Text(string name, string description, Func<PortalRow, string?> value)
        : PortalColumn(name, "text", ColumnType.Text, description)
    {
        public override void WriteJson(Utf8JsonWriter json, PortalRow row) => PortalJson.Text(json, Name, value(row));

        public override void SetIn(FrameBuilder builder, int column, PortalRow row) => builder.SetText(column, value(row));

        public override string? CsvText(PortalRow row) => value(row);
    }

    /// <summary>A floating-timestamp column (city wall-clock time).</summary>
    internal sealed class Timestamp(string name, string description, Func<PortalRow, DateTime?> value)
        : PortalColumn(name, "floating_timestamp", ColumnType.Timestamp, description)
    {
        public override void WriteJson(Utf8JsonWriter json, PortalRow row) => PortalJson.Time(json, Name, value(row));

        public override void SetIn(FrameBuilder builder, int column, PortalRow row)
        {
            if (value(row) is { } v)
            {
                builder.SetTimestamp(column, v);
            }
        }

        public override string? CsvText(PortalRow row) => value(row)?.ToString(PortalJson.FloatingTimestampFormat, CultureInfo.InvariantCulture);
    }

    /// <summary>A number column (a double, written round-trip).</summary>
    internal sealed class Number(string name, string description, Func<PortalRow, double?> value)
        : PortalColumn(name, "number", ColumnType.Number, description)
    {
        public override void WriteJson(Utf8JsonWriter json, PortalRow row) => PortalJson.Text(json, Name, CsvText(row));

        public override void SetIn(FrameBuilder builder, int column, PortalRow row)
        {
            if (value(row) is { } v)
            {
                builder.SetNumber(column, v);
            }
        }

        public override string? CsvText(PortalRow row) => value(row)?.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A whole-number column: <see cref="ColumnType.Integer"/> or <see cref="ColumnType.Long"/> in a DataFrame, <c>number</c> on the portal.</summary>
    internal sealed class Whole(string name, ColumnType frameType, string description, Func<PortalRow, long?> value)
        : PortalColumn(name, "number", frameType, description)
    {
        public override void WriteJson(Utf8JsonWriter json, PortalRow row) => PortalJson.Text(json, Name, CsvText(row));

        public override void SetIn(FrameBuilder builder, int column, PortalRow row)
        {
            if (value(row) is { } v)
            {
                builder.SetInteger(column, v);
            }
        }

        public override string? CsvText(PortalRow row) => value(row)?.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The point column: GeoJSON in JSON, latitude and longitude in a DataFrame, WKT in CSV.</summary>
    internal sealed class Point(string name, string description, Func<PortalRow, (double Latitude, double Longitude)?> value)
        : PortalColumn(name, "point", ColumnType.Point, description)
    {
        public override void WriteJson(Utf8JsonWriter json, PortalRow row)
        {
            var point = value(row);
            PortalJson.Point(json, Name, point?.Latitude, point?.Longitude);
        }

        public override void SetIn(FrameBuilder builder, int column, PortalRow row)
        {
            if (value(row) is { } point)
            {
                builder.SetPoint(column, point.Latitude, point.Longitude);
            }
        }

        public override string? CsvText(PortalRow row) =>
            value(row) is { } point ? string.Create(CultureInfo.InvariantCulture, $"POINT ({point.Longitude:R} {point.Latitude:R})") : null;
    }
}
