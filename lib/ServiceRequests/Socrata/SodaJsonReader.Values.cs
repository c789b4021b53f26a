using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ServiceRequests.Frames;

namespace ServiceRequests.Socrata;

/// <content>Reading one field's value into its column (numbers, texts, URLs, points), and the messages that name where the input went wrong.</content>
internal sealed partial class SodaJsonReader
{
    private void SetValue(int column, ref Utf8JsonReader reader)
    {
        var spec = _builder.Columns[column];
        switch (spec.Type)
        {
            case ColumnType.Text:
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                {
                    _builder.SetText(column, reader.ValueSpan);
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    _builder.SetText(column, reader.GetString());
                }
                else if (reader.TokenType is JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False)
                {
                    _builder.SetText(column, reader.ValueSpan);
                }
                else if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadUrl(column, ref reader);
                }
                else
                {
                    throw new ServiceRequestsException("expected text");
                }
                break;
            case ColumnType.Number or ColumnType.Integer or ColumnType.Long:
                if (ReadNumber(ref reader) is { } number)
                {
                    _builder.SetNumber(column, number);
                }
                break;
            case ColumnType.Timestamp:
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw new ServiceRequestsException("expected a timestamp string");
                }
                var span = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
                if (span.Length > 0)
                {
                    _builder.SetTimestamp(column, Timestamps.Parse(span, _zone));
                }
                break;
            case ColumnType.Boolean:
                _builder.SetBoolean(column, reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    JsonTokenType.String when reader.ValueTextEquals("true"u8) => true,
                    JsonTokenType.String when reader.ValueTextEquals("false"u8) => false,
                    _ => throw new ServiceRequestsException("expected true or false"),
                });
                break;
            case ColumnType.Point:
                ReadPoint(column, ref reader);
                break;
        }
    }

    private static double? ReadNumber(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDouble();
        }
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new ServiceRequestsException("expected a number");
        }
        var span = reader.ValueSpan;
        if (span.Length == 0)
        {
            return null;
        }
        if (!reader.ValueIsEscaped && Utf8Parser.TryParse(span, out double value, out var used) && used == span.Length)
        {
            return value;
        }
        return double.Parse(reader.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Socrata's url type: <c>{"url": "https://...", "description": "..."}</c>; the address is the value.</summary>
    private void ReadUrl(int column, ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUrl = reader.ValueTextEquals("url"u8);
            reader.Read();
            if (isUrl && reader.TokenType == JsonTokenType.String)
            {
                _builder.SetText(column, reader.GetString());
            }
            else if (isUrl && reader.TokenType != JsonTokenType.Null)
            {
                throw new ServiceRequestsException("expected the url as text");
            }
            else
            {
                reader.TrySkip();
            }
        }
    }

    private void ReadPoint(int column, ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                // WKT, as in CSV exports: "POINT (-83.05 42.33)".
                var text = reader.GetString()!;
                if (text.Length == 0)
                {
                    return;
                }
                var open = text.IndexOf('(');
                var close = text.IndexOf(')');
                var parts = open >= 0 && close > open ? text[(open + 1)..close].Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
                if (parts.Length != 2)
                {
                    throw new ServiceRequestsException("expected POINT (longitude latitude)");
                }
                _builder.SetPoint(column,
                    double.Parse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture),
                    double.Parse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture));
                return;
            case JsonTokenType.StartObject:
                double? lat = null, lng = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("coordinates"u8))
                    {
                        // GeoJSON: [longitude, latitude].
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            throw new ServiceRequestsException("coordinates is not an array");
                        }
                        reader.Read();
                        lng = reader.GetDouble();
                        reader.Read();
                        lat = reader.GetDouble();
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                        }
                    }
                    else if (reader.ValueTextEquals("latitude"u8))
                    {
                        reader.Read();
                        lat = ReadNumber(ref reader);
                    }
                    else if (reader.ValueTextEquals("longitude"u8))
                    {
                        reader.Read();
                        lng = ReadNumber(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.TrySkip();
                    }
                }
                if (lat is { } la && lng is { } ln)
                {
                    _builder.SetPoint(column, la, ln);
                }
                return;
            default:
                throw new ServiceRequestsException("expected a point");
        }
    }

    private static string Describe(ref Utf8JsonReader reader) =>
        reader.TokenType is JsonTokenType.String or JsonTokenType.Number
            ? $"'{Truncate(Encoding.UTF8.GetString(reader.ValueSpan))}'"
            : reader.TokenType.ToString();

    private static string ErrorBodyHint(ReadOnlySpan<byte> data, Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        var text = Encoding.UTF8.GetString(data[start..Math.Min(data.Length, start + 300)]);
        return $" (the server may have sent an error: {text})";
    }

    private ServiceRequestsException Malformed(long offset, string message, Exception? inner = null) =>
        new($"{_source}: malformed JSON at byte {offset}: {message}", inner);

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
