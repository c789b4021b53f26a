using System.Text;
using System.Text.Json;

namespace ServiceRequests.Frames;

/// <summary>
/// Finds which of a fixed list of names a JSON property name is, without making a string of it.
/// Rows of one source list their fields in the same order, so the search starts just after the
/// name found last and usually succeeds at its first comparison.
/// </summary>
internal sealed class PropertyNames(IEnumerable<string> names)
{
    private readonly byte[][] _names = [.. names.Select(Encoding.UTF8.GetBytes)];
    private int _predicted;

    /// <summary>The index of the property name <paramref name="reader"/> is on, or -1 when it is none of the names.</summary>
    public int IndexOf(ref Utf8JsonReader reader)
    {
        var count = _names.Length;
        for (var k = 0; k < count; k++)
        {
            var i = _predicted + k;
            if (i >= count)
            {
                i -= count;
            }
            if (reader.ValueTextEquals(_names[i]))
            {
                _predicted = i + 1 == count ? 0 : i + 1;
                return i;
            }
        }
        return -1;
    }
}
