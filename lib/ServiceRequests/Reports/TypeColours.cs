namespace ServiceRequests.Reports;

/// <summary>
/// One colour per request type for every chart of a report: a type gets the next colour of a
/// 20-colour palette (Tableau 10, then ten of Kelly's colours of maximum contrast) the first time
/// a chart draws it, and keeps it for the life of the process: every chart of a notebook, of every
/// notebook run in the same kernel, and of every report of one <c>report</c> run (its notebooks run
/// side by side, so a reset at the top of one notebook would recolour another's later charts). The
/// pooled "other types" series is always grey.
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

    private static readonly Dictionary<string, string> ColourOfType = new(StringComparer.Ordinal);
    private static readonly object Gate = new();

    /// <summary>The colour of <paramref name="requestType"/>, assigned on first use.</summary>
    public static string Of(string requestType)
    {
        lock (Gate)
        {
            if (!ColourOfType.TryGetValue(requestType, out var colour))
            {
                colour = Palette[ColourOfType.Count % Palette.Length];
                ColourOfType.Add(requestType, colour);
            }
            return colour;
        }
    }

}
