using System.Globalization;
using System.Text;
using System.Text.Json;
using ServiceRequests.Frames;

namespace ServiceRequests.ArcGis;

/// <summary>
/// Reads one page of a FeatureServer query answer (<c>f=json</c>:
/// <c>{"features": [{"attributes": {...}, "geometry": {...}}, ...], "exceededTransferLimit": true, ...}</c>)
/// straight from its UTF-8 bytes into a <see cref="FrameBuilder"/> with a <see cref="Utf8JsonReader"/>:
/// no string of the body and no document tree. Attributes not mapped are skipped; date fields
/// (epoch milliseconds, UTC) become the city's wall-clock time.
/// </summary>
internal sealed class FeaturePageReader
{
    private readonly FrameBuilder _builder;
    private readonly string _source;
    private readonly TimeZoneInfo _zone;
    private readonly PropertyNames _names;
    private readonly string[] _fieldNames;
    private readonly int[] _columns;
    private readonly bool[] _isDate;

    /// <summary>Creates a reader for the given layer fields.</summary>
    /// <param name="builder">Where rows go.</param>
    /// <param name="fields">Each layer field read (exact name as the layer spells it), its builder column and whether it is an ArcGIS date.</param>
    /// <param name="source">Names the page in error messages (layer address and page number).</param>
    /// <param name="zone">The city's time zone.</param>
    public FeaturePageReader(FrameBuilder builder, IReadOnlyList<(string Field, int Column, bool IsDate)> fields, string source, TimeZoneInfo zone)
    {
        _builder = builder;
        _source = source;
        _zone = zone;
        _fieldNames = [.. fields.Select(f => f.Field)];
        _names = new PropertyNames(fields.Select(f => f.Field));
        _columns = [.. fields.Select(f => f.Column)];
        _isDate = [.. fields.Select(f => f.IsDate)];
    }

    /// <summary>What a page held.</summary>
    /// <param name="Rows">Features read into the builder.</param>
    /// <param name="ExceededTransferLimit">The server said more features remain.</param>
    /// <param name="Error">The <c>error</c> object when the server answered with one instead of features.</param>
    public readonly record struct Page(int Rows, bool ExceededTransferLimit, JsonElement? Error);

    /// <summary>Reads one whole page.</summary>
    /// <exception cref="ServiceRequestsException">The JSON is malformed, not a query answer, or a value does not fit its column; the message names the page, feature, field and byte.</exception>
    public Page Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var rows = 0;
        var exceeded = false;
        var sawFeatures = false;
        JsonElement? error = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Malformed(reader.TokenStartIndex, $"expected a query answer (a JSON object) but found {reader.TokenType}");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("features"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        throw Malformed(reader.TokenStartIndex, $"'features' is {reader.TokenType}, not an array");
                    }
                    sawFeatures = true;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw Malformed(reader.TokenStartIndex, $"expected a feature object but found {reader.TokenType}");
                        }
                        rows++;
                        ReadFeature(ref reader, rows);
                    }
                }
                else if (reader.ValueTextEquals("exceededTransferLimit"u8))
                {
                    reader.Read();
                    exceeded = reader.TokenType switch
                    {
                        JsonTokenType.True => true,
                        JsonTokenType.False or JsonTokenType.Null => false,
                        _ => throw Malformed(reader.TokenStartIndex, $"'exceededTransferLimit' is {reader.TokenType}, not true or false"),
                    };
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    error = JsonElement.ParseValue(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject)
            {
                throw Malformed(reader.TokenStartIndex, "the query answer does not end where expected");
            }
            // Anything but white space after the answer makes the reader throw.
            reader.Read();
        }
        catch (JsonException e)
        {
            throw Malformed(reader.BytesConsumed, e.Message, e);
        }
        if (error is null && !sawFeatures)
        {
            throw Malformed(0, "the answer has neither 'features' nor 'error'; is this the layer's query endpoint?");
        }
        return new Page(rows, exceeded, error);
    }

    private void ReadFeature(ref Utf8JsonReader reader, int feature)
    {
        _builder.AddRow();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("attributes"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Malformed(reader.TokenStartIndex, $"feature {feature}: 'attributes' is {reader.TokenType}, not an object");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = _names.IndexOf(ref reader);
                var at = reader.TokenStartIndex;
                reader.Read();
                if (field < 0 || reader.TokenType == JsonTokenType.Null)
                {
                    reader.Skip();
                    continue;
                }
                try
                {
                    SetValue(field, ref reader);
                }
                catch (Exception e) when (e is ServiceRequestsException or FormatException or OverflowException or InvalidOperationException or ArgumentOutOfRangeException)
                {
                    var spec = _builder.Columns[_columns[field]];
                    throw new ServiceRequestsException(
                        $"{_source}: feature {feature}, field '{_fieldNames[field]}' (column '{spec.Name}', byte {at}): cannot read {Describe(ref reader)} as {(_isDate[field] ? "a date (epoch milliseconds)" : spec.Type.ToString())}: {e.Message}", e);
                }
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw Malformed(reader.TokenStartIndex, $"feature {feature} is not a JSON object of attributes and geometry");
        }
    }

    private void SetValue(int field, ref Utf8JsonReader reader)
    {
        var column = _columns[field];
        if (_isDate[field])
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw new ServiceRequestsException("expected epoch milliseconds");
            }
            var ms = reader.TryGetInt64(out var whole) ? whole : checked((long)reader.GetDouble());
            _builder.SetTimestamp(column, CityTime.ToFloating(DateTimeOffset.FromUnixTimeMilliseconds(ms), _zone));
            return;
        }
        switch (_builder.Columns[column].Type)
        {
            case ColumnType.Text:
                switch (reader.TokenType)
                {
                    case JsonTokenType.String when !reader.ValueIsEscaped:
                        _builder.SetText(column, reader.ValueSpan);
                        break;
                    case JsonTokenType.String:
                        _builder.SetText(column, reader.GetString());
                        break;
                    case JsonTokenType.Number when reader.TryGetInt64(out _):
                        _builder.SetText(column, reader.ValueSpan);
                        break;
                    case JsonTokenType.Number:
                        // An id stored as a double (17000001.0) is still the id 17000001.
                        var d = reader.GetDouble();
                        _builder.SetText(column, d == Math.Floor(d) && Math.Abs(d) < 9e15
                            ? ((long)d).ToString(CultureInfo.InvariantCulture)
                            : d.ToString("R", CultureInfo.InvariantCulture));
                        break;
                    default:
                        throw new ServiceRequestsException("expected text or a number");
                }
                break;
            case ColumnType.Number or ColumnType.Integer or ColumnType.Long:
                if (reader.TokenType == JsonTokenType.Number)
                {
                    if (reader.TryGetInt64(out var n))
                    {
                        _builder.SetInteger(column, n);
                    }
                    else
                    {
                        _builder.SetNumber(column, reader.GetDouble());
                    }
                }
                else if (reader.TokenType == JsonTokenType.String)
                {
                    var text = reader.GetString()!.Trim();
                    if (text.Length > 0)
                    {
                        _builder.SetNumber(column, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
                    }
                }
                else
                {
                    throw new ServiceRequestsException("expected a number");
                }
                break;
            case ColumnType.Timestamp:
                throw new ServiceRequestsException("the layer field is not a date field (esriFieldTypeDate)");
            default:
                throw new ServiceRequestsException($"a {_builder.Columns[column].Type} column cannot be filled from a layer field");
        }
    }

    private static string Describe(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            return reader.TokenType == JsonTokenType.StartObject ? "an object" : "an array";
        }
        var text = Encoding.UTF8.GetString(reader.ValueSpan);
        return reader.TokenType == JsonTokenType.String ? $"\"{(text.Length <= 40 ? text : text[..40] + "…")}\"" : text;
    }

    private ServiceRequestsException Malformed(long offset, string what, Exception? inner = null) =>
        new($"{_source}: malformed query answer at byte {offset}: {what}.", inner);
}
