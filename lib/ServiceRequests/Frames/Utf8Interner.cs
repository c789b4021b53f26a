using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace ServiceRequests.Frames;

/// <summary>
/// Turns UTF-8 values of one column into strings, handing out one string per distinct short value
/// (status, request type, neighborhood) while the column has few distinct values; long values,
/// and every value of a column past <see cref="MaxDistinct"/> distinct ones (ids, addresses),
/// become new strings. The hash reads at most 24 bytes (the length, the first, middle and last
/// eight), so a look-up costs about one comparison of the value.
/// </summary>
internal sealed class Utf8Interner
{
    /// <summary>Longest value interned, in UTF-8 bytes.</summary>
    public const int MaxBytes = 64;

    /// <summary>Distinct values interned before the column is taken for one of unique values.</summary>
    public const int MaxDistinct = 4096;

    private const int Slots = MaxDistinct * 2;
    private readonly int[] _slots = new int[Slots];
    private readonly byte[][] _keys = new byte[MaxDistinct + 1][];
    private readonly string[] _values = new string[MaxDistinct + 1];
    private int _count;

    /// <summary>The string of <paramref name="utf8"/>.</summary>
    public string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes || _count >= MaxDistinct)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        var slot = (int)(Hash(utf8) & (Slots - 1));
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0)
            {
                var value = Encoding.UTF8.GetString(utf8);
                _count++;
                _keys[_count] = utf8.ToArray();
                _values[_count] = value;
                _slots[slot] = _count;
                return value;
            }
            if (utf8.SequenceEqual(_keys[entry]))
            {
                return _values[entry];
            }
            slot = (slot + 1) & (Slots - 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<byte> s)
    {
        ulong h;
        if (s.Length >= 8)
        {
            h = BinaryPrimitives.ReadUInt64LittleEndian(s)
                ^ BitOperations.RotateLeft(BinaryPrimitives.ReadUInt64LittleEndian(s[^8..]), 21)
                ^ BitOperations.RotateLeft(BinaryPrimitives.ReadUInt64LittleEndian(s.Slice((s.Length - 8) / 2, 8)), 42);
        }
        else
        {
            h = 0;
            foreach (var b in s)
            {
                h = (h << 8) | b;
            }
        }
        h ^= (ulong)s.Length * 0x9E3779B97F4A7C15UL;
        h *= 0xBF58476D1CE4E5B9UL;
        return (uint)(h >> 32);
    }
}
