namespace ServiceRequests.Sample;

/// <summary>
/// How the generator draws issues of one request type: its share of volume, monthly
/// seasonality, how long closing takes (log-normal), and how often issues stay open, are
/// re-opened or are duplicates. Figures are plausible for Detroit, not measured.
/// </summary>
/// <param name="Title">Request type title.</param>
/// <param name="Weight">Relative share of all issues.</param>
/// <param name="MedianDaysToClose">Median of the log-normal close time, days.</param>
/// <param name="Spread">Sigma of the log-normal close time (log scale).</param>
/// <param name="NeverClosed">Share never closed, whatever its age.</param>
/// <param name="Reopened">Share of closed issues re-opened later.</param>
/// <param name="Duplicates">Share closed as a duplicate of an earlier issue.</param>
/// <param name="Season">Twelve monthly volume multipliers, January first.</param>
internal sealed record RequestTypeProfile(
    string Title, double Weight, double MedianDaysToClose, double Spread,
    double NeverClosed, double Reopened, double Duplicates, double[] Season)
{
    private static readonly double[] Flat = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1];
    private static readonly double[] Spring = [1.6, 2.2, 2.4, 1.9, 1.2, 0.8, 0.7, 0.6, 0.6, 0.7, 0.8, 1.2];
    private static readonly double[] Summer = [0.4, 0.4, 0.6, 0.9, 1.4, 1.7, 1.8, 1.7, 1.3, 0.9, 0.5, 0.4];
    private static readonly double[] Winter = [3.0, 2.6, 1.0, 0, 0, 0, 0, 0, 0, 0, 0.6, 2.2];
    private static readonly double[] Wet = [0.7, 0.8, 1.1, 1.4, 1.4, 1.3, 1.2, 1.1, 1.0, 0.9, 0.8, 0.7];
    private static readonly double[] Cold = [1.9, 1.8, 1.2, 0.8, 0.6, 0.5, 0.5, 0.5, 0.6, 0.8, 1.2, 1.7];
    private static readonly double[] Warm = [0.7, 0.7, 0.9, 1.0, 1.2, 1.2, 1.2, 1.2, 1.1, 1.0, 0.9, 0.7];

    /// <summary>The request types the generator draws from: Detroit's titles (all in <c>data/sla.csv</c>).</summary>
    public static IReadOnlyList<RequestTypeProfile> Detroit { get; } =
    [
        new("Illegal Dump Sites", 14, 8, 1.0, 0.05, 0.03, 0.05, Warm),
        new("Tree Issue", 10, 16, 1.2, 0.08, 0.02, 0.04, Summer),
        new("Potholes", 10, 2.5, 1.0, 0.04, 0.04, 0.06, Spring),
        new("Curbside Solid Waste Issue", 8, 4, 0.9, 0.03, 0.03, 0.03, Flat),
        new("Abandoned Vehicle", 7, 6, 1.0, 0.06, 0.02, 0.04, Flat),
        new("Street Light Out", 5, 5, 1.1, 0.05, 0.05, 0.05, Cold),
        new("New LED Street Light Out", 3, 4, 1.0, 0.04, 0.05, 0.04, Cold),
        new("Running Water in a Home or Building", 4, 2, 1.1, 0.03, 0.02, 0.02, Cold),
        new("Traffic Sign Issue", 4, 5, 1.0, 0.05, 0.02, 0.03, Flat),
        new("Traffic Signal Issue", 3, 0.8, 1.1, 0.02, 0.04, 0.05, Flat),
        new("Traffic Complaints", 4, 26, 1.5, 0.02, 0.01, 0.02, Warm),
        new("Dead Animal Removal", 3, 1.2, 0.9, 0.02, 0.01, 0.03, Summer),
        new("Blocked Catch Basin", 3, 9, 1.1, 0.06, 0.02, 0.03, Wet),
        new("Water Main Break", 2, 1.5, 1.0, 0.02, 0.03, 0.08, Cold),
        new("Illegal Dumping In Progress", 2, 3, 1.1, 0.05, 0.01, 0.04, Warm),
        new("DPW - Debris Removal - DPW USE ONLY", 3, 6, 1.0, 0.04, 0.01, 0.01, Warm),
        new("DPW - Other environmental - DPW USE ONLY", 2, 3, 1.0, 0.04, 0.01, 0.01, Flat),
        new("Park Issue", 2, 4, 1.0, 0.05, 0.02, 0.02, Summer),
        new("Residential Snow Removal Issue", 1.5, 0.7, 0.8, 0.02, 0.02, 0.06, Winter),
        new("Manhole Cover Issue", 1, 3, 1.0, 0.03, 0.02, 0.03, Flat),
        new("Fire Hydrant Issue", 1, 10, 1.0, 0.05, 0.02, 0.03, Warm),
        new("Street Light Pole Down", 1, 3, 1.0, 0.03, 0.02, 0.04, Flat),
        new("Street Light / Street Light Pole Major Repair", 0.5, 25, 0.8, 0.10, 0.02, 0.02, Flat),
        new("Squatters Issue", 1.5, 12, 1.1, 0.12, 0.02, 0.02, Flat),
        new("Squatters - Fraud Investigation", 0.3, 40, 0.7, 0.15, 0.01, 0.01, Flat),
        new("Cemetery Issue", 0.3, 4, 1.0, 0.04, 0.02, 0.02, Summer),
        new("Rodent Extermination - BSEED Only", 1, 14, 1.0, 0.08, 0.01, 0.02, Summer),
        new("Other - Not within City jurisdiction", 0.5, 1.5, 1.0, 0.01, 0.01, 0.01, Flat),
        new("Other - Not within scope of City services", 0.5, 1.5, 1.0, 0.01, 0.01, 0.01, Flat),
        new("Other - Referred to other City Department", 0.5, 2, 1.0, 0.02, 0.01, 0.01, Flat),
    ];
}
