using System.Globalization;
using System.Text;

namespace ServiceRequests.Frames;

/// <summary>Parses the timestamp texts sources send into floating (city wall-clock) times.</summary>
internal static class Timestamps
{
    /// <summary>
    /// Parses <c>yyyy-MM-ddTHH:mm:ss[.fff][Z|±hh:mm]</c> (also with a space for the <c>T</c>, or a
    /// date alone). Without a zone the value is already floating; with one it is converted to
    /// <paramref name="zone"/>'s wall-clock time.
    /// </summary>
    /// <exception cref="ServiceRequestsException">The text is not such a timestamp.</exception>
    public static DateTime Parse(ReadOnlySpan<byte> utf8, TimeZoneInfo zone)
    {
        if (TryParseFast(utf8, out var local, out var offsetKind, out var offset))
        {
            return offsetKind switch
            {
                0 => local,
                _ => CityTime.ToFloating(new DateTimeOffset(local, offset), zone),
            };
        }
        var text = Encoding.UTF8.GetString(utf8);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var withZone)
            && (text.EndsWith('Z') || HasExplicitOffset(text)))
        {
            return CityTime.ToFloating(withZone, zone);
        }
        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var floating))
        {
            return DateTime.SpecifyKind(floating, DateTimeKind.Unspecified);
        }
        throw new ServiceRequestsException($"'{text}' is not an ISO-8601 timestamp");
    }

    private static bool HasExplicitOffset(string text)
    {
        var t = text.IndexOfAny(['T', ' ']);
        return t > 0 && text.AsSpan(t).IndexOfAny('+', '-') > 0;
    }

    // offsetKind: 0 none (floating), 1 Z or explicit offset.
    private static bool TryParseFast(ReadOnlySpan<byte> s, out DateTime local, out int offsetKind, out TimeSpan offset)
    {
        local = default;
        offsetKind = 0;
        offset = TimeSpan.Zero;
        if (s.Length < 10 || s[4] != '-' || s[7] != '-')
        {
            return false;
        }
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day))
        {
            return false;
        }
        int hour = 0, minute = 0, second = 0;
        long ticks = 0;
        var i = 10;
        if (s.Length > 10)
        {
            if ((s[10] != 'T' && s[10] != ' ') || s.Length < 19 || s[13] != ':' || s[16] != ':'
                || !Digits(s, 11, 2, out hour) || !Digits(s, 14, 2, out minute) || !Digits(s, 17, 2, out second))
            {
                return false;
            }
            i = 19;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                var scale = TimeSpan.TicksPerSecond;
                var start = i;
                while (i < s.Length && s[i] >= '0' && s[i] <= '9')
                {
                    scale /= 10;
                    ticks += (s[i] - '0') * scale;
                    i++;
                }
                if (i == start)
                {
                    return false;
                }
            }
            if (i < s.Length)
            {
                if (s[i] is (byte)'Z' or (byte)'z' && i + 1 == s.Length)
                {
                    offsetKind = 1;
                }
                else if (s[i] is (byte)'+' or (byte)'-' && s.Length - i == 6 && s[i + 3] == ':'
                    && Digits(s, i + 1, 2, out var oh) && Digits(s, i + 4, 2, out var om))
                {
                    offsetKind = 1;
                    offset = new TimeSpan(oh, om, 0);
                    if (s[i] == '-')
                    {
                        offset = -offset;
                    }
                }
                else
                {
                    return false;
                }
            }
        }
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month)
            || hour > 23 || minute > 59 || second > 59 || year < 1)
        {
            return false;
        }
        local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }
            value = value * 10 + d;
        }
        return true;
    }
}
