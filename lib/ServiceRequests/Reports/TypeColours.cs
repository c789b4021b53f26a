namespace ServiceRequests.Reports;

/// <summary>
/// One colour per request type, the same in every chart, notebook, kernel and report: a type's
/// colour in a 20-colour palette (Tableau 10, then ten of Kelly's colours of maximum contrast) is
/// chosen by its name alone (a hash that is the same in every process), not by the order in which
/// charts draw types, so a notebook shows the same colours in VS Code, in the real kernel and in a
/// <c>report</c> that runs notebooks side by side. When two types of one chart would share a colour,
/// the one later in the chart (the smaller: charts list types by volume) takes the next free colour.
/// The pooled "other types" series is always grey.
/// </summary>
internal static class TypeColours
{
    /// <summary>The colour of the series that pools the types outside the top ones.</summary>
    public const string Other = "#b8b8b8";

    private static readonly string[] Palette =
    [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#2b3d26",
        "#875692", "#008856", "#be0032", "#0067a5", "#f6a600", "#882d17", "#8db600", "#e68fac", "#654522", "#a1caf1",
    ];

    /// <summary>
    /// The colours of the <paramref name="requestTypes"/> of one chart, in their order: each type's
    /// own colour, distinct within the chart (up to 20 types; beyond that the palette repeats).
    /// </summary>
    public static string[] Of(IReadOnlyList<string> requestTypes)
    {
        ArgumentNullException.ThrowIfNull(requestTypes);
        var colours = new string[requestTypes.Count];
        var taken = new bool[Palette.Length];
        var free = Palette.Length;
        for (var i = 0; i < requestTypes.Count; i++)
        {
            var index = Preferred(requestTypes[i]);
            while (free > 0 && taken[index])
            {
                index = (index + 1) % Palette.Length;
            }
            if (free > 0)
            {
                taken[index] = true;
                free--;
            }
            colours[i] = Palette[index];
        }
        return colours;
    }

    /// <summary>The palette index of a type: FNV-1a over its UTF-16 code units (string.GetHashCode differs between processes).</summary>
    private static int Preferred(string requestType)
    {
        var hash = 2166136261u;
        foreach (var c in requestType)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }
        return (int)(hash % (uint)Palette.Length);
    }
}
