using System.Text;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>Random damage to a valid input, for the fuzz tests of the parsers of outside input.</summary>
public static class JsonMutations
{
    /// <summary>Characters that upset JSON: structure, literals, escapes, a non-ASCII letter.</summary>
    public static readonly string[] Noise = [.. "{}[]\":,0-.e9 nulltruefalse\\u00\u00e9".Select(c => c.ToString())];

    /// <summary>
    /// <paramref name="valid"/> with one to three edits: a cut of up to <paramref name="maxCut"/> bytes, one of
    /// <paramref name="insertions"/> inserted, a byte replaced by a random one, or the rest cut off.
    /// </summary>
    public static byte[] Mutate(byte[] valid, Random random, IReadOnlyList<string> insertions, int maxCut = 20)
    {
        var mutated = valid.ToList();
        for (var edits = random.Next(1, 4); edits > 0 && mutated.Count > 0; edits--)
        {
            var at = random.Next(mutated.Count);
            switch (random.Next(4))
            {
                case 0:
                    mutated.RemoveRange(at, Math.Min(random.Next(1, maxCut), mutated.Count - at));
                    break;
                case 1:
                    mutated.InsertRange(at, Encoding.UTF8.GetBytes(insertions[random.Next(insertions.Count)]));
                    break;
                case 2:
                    mutated[at] = (byte)random.Next(256);
                    break;
                default:
                    mutated.RemoveRange(at, mutated.Count - at);
                    break;
            }
        }
        return [.. mutated];
    }
}
