using System.Globalization;
using ServiceRequests.Metrics;

namespace ServiceRequests.TestSupport.Scenarios;

/// <summary>What a scenario changes in one request type.</summary>
internal enum ChangeEffect
{
    /// <summary>Nothing changes.</summary>
    None,

    /// <summary>Issues opened × 1.5.</summary>
    VolumeUp50,

    /// <summary>Issues opened × 2.</summary>
    VolumeUp100,

    /// <summary>Every close time × 2 (both parts of the mixture) in the changed cohorts.</summary>
    CloseTimeDoubled,

    /// <summary>The share closed within SLA 25 points lower in the changed cohorts.</summary>
    SlaShareDown25,
}

/// <summary>
/// One case of the scenario suite: an <see cref="Effect"/> on one type of a <see cref="Band"/>, lasting <see cref="Weeks"/>
/// weeks up to the pull, or a single-week <see cref="Spike"/>. A lasting change starts <see cref="Weeks"/> weeks before the
/// end of the last complete week (issues opened), or <see cref="Weeks"/> cohorts before the end of the type's latest final
/// cohort (SLA share and time to close, whose latest cohorts are not final at the pull), and goes on to the pull; a spike
/// touches only that last week or cohort.
/// </summary>
/// <param name="Effect">What changes.</param>
/// <param name="Band">The size band of the changed type.</param>
/// <param name="Weeks">Weeks (cohorts) the change lasts up to the pull; 1 for a spike; 0 for <see cref="ChangeEffect.None"/>.</param>
/// <param name="Spike">Whether the change touches the last week only and does not go on to the pull.</param>
internal sealed record ChangeScenario(ChangeEffect Effect, VolumeBand Band, int Weeks, bool Spike = false)
{
    /// <summary>The unchanged scenario.</summary>
    public static ChangeScenario Unchanged { get; } = new(ChangeEffect.None, VolumeBand.Medium, 0);

    /// <summary>Every scenario: no change, then each effect × band × 1–4 weeks and a spike.</summary>
    public static IReadOnlyList<ChangeScenario> All { get; } =
    [
        Unchanged,
        .. from effect in new[] { ChangeEffect.VolumeUp50, ChangeEffect.VolumeUp100, ChangeEffect.CloseTimeDoubled, ChangeEffect.SlaShareDown25 }
           from band in Enum.GetValues<VolumeBand>()
           from duration in new[] { 1, 2, 3, 4, 0 }
           select duration == 0 ? new ChangeScenario(effect, band, 1, Spike: true) : new ChangeScenario(effect, band, duration),
    ];

    /// <summary>The <c>metric</c> of the <see cref="IssueMetrics.Changes"/> rows that should flag the change; null for none.</summary>
    public string? Metric => Effect switch
    {
        ChangeEffect.VolumeUp50 or ChangeEffect.VolumeUp100 => IssueMetrics.IssuesOpened,
        ChangeEffect.CloseTimeDoubled => IssueMetrics.MedianDaysToClose,
        ChangeEffect.SlaShareDown25 => IssueMetrics.PercWithinSla,
        _ => null,
    };

    /// <summary>Whether the effect is on outcomes (cohorts) rather than on issues opened.</summary>
    public bool OnOutcomes => Effect is ChangeEffect.CloseTimeDoubled or ChangeEffect.SlaShareDown25;

    /// <summary>The multiplier of the expected count in the changed weeks.</summary>
    public double VolumeFactor => Effect switch
    {
        ChangeEffect.VolumeUp50 => 1.5,
        ChangeEffect.VolumeUp100 => 2,
        _ => 1,
    };

    /// <summary>The effect in words, e.g. "volume +100 %".</summary>
    public string EffectName => Effect switch
    {
        ChangeEffect.VolumeUp50 => "volume +50 %",
        ChangeEffect.VolumeUp100 => "volume +100 %",
        ChangeEffect.CloseTimeDoubled => "close time ×2",
        ChangeEffect.SlaShareDown25 => "SLA share −25 pts",
        _ => "none",
    };

    /// <summary>The band in words.</summary>
    public string BandName => Effect == ChangeEffect.None ? "all" : Band switch
    {
        VolumeBand.Small => "5–10/wk",
        VolumeBand.Medium => "20–39/wk",
        _ => "≥ 40/wk",
    };

    /// <summary>The duration in words: "spike", "1 wk" … "4 wk", or "–" for none.</summary>
    public string DurationName => Effect == ChangeEffect.None ? "–" : Spike ? "spike" : string.Create(CultureInfo.InvariantCulture, $"{Weeks} wk");

    /// <summary>A short key for the command line and test names, e.g. <c>volume100-large-2</c> or <c>sla25-medium-spike</c>.</summary>
    public string Key => Effect == ChangeEffect.None ? "none" : string.Create(CultureInfo.InvariantCulture,
        $"{Effect switch { ChangeEffect.VolumeUp50 => "volume50", ChangeEffect.VolumeUp100 => "volume100", ChangeEffect.CloseTimeDoubled => "close2", _ => "sla25" }}-{Band.ToString().ToLowerInvariant()}-{(Spike ? "spike" : Weeks.ToString(CultureInfo.InvariantCulture))}");
}
