using System.Globalization;
using ServiceRequests.Portal;

namespace ServiceRequests.ArcGis;

/// <summary>
/// Which features a FeatureServer query selects: an ArcGIS SQL <c>where</c> clause (default
/// <c>1=1</c>, everything). Build conditions with <see cref="Text"/> and <see cref="Timestamp"/>
/// so that user values are quoted correctly, or with the typed helpers
/// <see cref="CreatedBetween"/> and <see cref="UpdatedSince"/>.
/// </summary>
internal sealed record FeatureQuery
{
    /// <summary>The <c>where</c> clause that selects every feature.</summary>
    public const string Everything = "1=1";

    /// <summary>The <c>where</c> clause (ArcGIS standardized SQL).</summary>
    public string Where { get; init; } = Everything;

    /// <summary>This query narrowed by <paramref name="condition"/> (both must hold).</summary>
    public FeatureQuery And(string condition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(condition);
        return this with { Where = Where.Trim() == Everything ? condition : $"({Where}) AND ({condition})" };
    }

    /// <summary>
    /// Features created in [<paramref name="from"/>, <paramref name="to"/>): either end may be
    /// null (open). The field is the one <paramref name="fields"/> maps to <c>created_at</c>.
    /// </summary>
    public FeatureQuery CreatedBetween(DateTimeOffset? from, DateTimeOffset? to, FeatureFieldMapping? fields = null) =>
        Range((fields ?? FeatureFieldMapping.Detroit).FieldOf(PortalSchema.CreatedAt), from, to);

    /// <summary>
    /// Features changed at or after <paramref name="since"/> (inclusive, so a repeated pull re-reads
    /// ties instead of losing them). The field is the one <paramref name="fields"/> maps to <c>updated_at</c>.
    /// </summary>
    public FeatureQuery UpdatedSince(DateTimeOffset since, FeatureFieldMapping? fields = null) =>
        Range((fields ?? FeatureFieldMapping.Detroit).FieldOf(PortalSchema.UpdatedAt), since, null);

    /// <summary>An ArcGIS SQL string literal: <paramref name="value"/> in single quotes, each quote doubled.</summary>
    public static string Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>
    /// An ArcGIS SQL timestamp literal, <c>timestamp 'YYYY-MM-DD HH:MM:SS'</c>, in UTC (how hosted
    /// layers store and compare dates). Whole seconds: the fraction is cut off.
    /// </summary>
    public static string Timestamp(DateTimeOffset instant) =>
        "timestamp '" + instant.UtcDateTime.ToString("yyyy'-'MM'-'dd HH':'mm':'ss", CultureInfo.InvariantCulture) + "'";

    /// <inheritdoc/>
    public override string ToString() => Where;

    /// <summary>Throws unless <paramref name="field"/> is a plain field name (letters, digits, underscores), so it cannot change a clause.</summary>
    internal static string CheckFieldName(string? field, string parameter)
    {
        if (string.IsNullOrEmpty(field) || !(char.IsAsciiLetter(field[0]) || field[0] == '_') || !field.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{field}' is not a layer field name (letters, digits and underscores, not starting with a digit).", parameter);
        }
        return field;
    }

    private FeatureQuery Range(string field, DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from is { } start && to is { } end && end < start)
        {
            throw new ArgumentException($"The range ends ({end:O}) before it starts ({start:O}).", nameof(to));
        }
        var query = this;
        if (from is { } a)
        {
            query = query.And($"{field} >= {Timestamp(a)}");
        }
        if (to is { } b)
        {
            // Whole seconds: an end with a fraction is rounded up so that nothing before it is left out.
            var ceiling = b.UtcTicks % TimeSpan.TicksPerSecond == 0 ? b : b.AddTicks(TimeSpan.TicksPerSecond - b.UtcTicks % TimeSpan.TicksPerSecond);
            query = query.And($"{field} < {Timestamp(ceiling)}");
        }
        return query;
    }
}
