using System.Globalization;
using System.Text.RegularExpressions;

namespace ServiceRequests.Socrata;

/// <summary>
/// SoQL literals and field names, written so that no user value can change a query's meaning:
/// a text literal is single-quoted with every quote doubled (<c>' OR 1=1</c> stays a literal), and a
/// field name must be a plain identifier.
/// </summary>
internal static partial class Soql
{
    /// <summary>The format of a floating-timestamp literal (no zone: city wall-clock time).</summary>
    public const string FloatingFormat = "yyyy-MM-dd'T'HH:mm:ss.fff";

    /// <summary>The format of a fixed-timestamp literal (an instant, in UTC with <c>Z</c>), as Socrata returns them.</summary>
    public const string FixedFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>A text literal: <paramref name="value"/> in single quotes, quotes inside doubled.</summary>
    public static string Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A floating-timestamp literal, e.g. <c>'2017-03-05T14:02:11.000'</c>.</summary>
    public static string Floating(DateTime value) => Text(value.ToString(FloatingFormat, CultureInfo.InvariantCulture));

    /// <summary>A fixed-timestamp literal in UTC, e.g. <c>'2017-03-05T19:02:11.000Z'</c>.</summary>
    public static string Fixed(DateTimeOffset value) => Text(value.UtcDateTime.ToString(FixedFormat, CultureInfo.InvariantCulture));

    /// <summary>A number literal in invariant culture.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or infinite.</exception>
    public static string Number(double value) => double.IsFinite(value)
        ? value.ToString("R", CultureInfo.InvariantCulture)
        : throw new ArgumentOutOfRangeException(nameof(value), value, "SoQL has no literal for NaN or infinity.");

    /// <summary>
    /// A field name, checked: letters, digits and underscores, optionally after a colon for system
    /// fields (<c>:id</c>, <c>:updated_at</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a plain identifier.</exception>
    public static string Field(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return FieldName().IsMatch(name)
            ? name
            : throw new ArgumentException($"'{name}' is not a SoQL field name (letters, digits and _, optionally after ':').", nameof(name));
    }

    [GeneratedRegex(@"^:?[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex FieldName();
}
