using System.Globalization;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Sample;

/// <summary>
/// A known change put into generated data, to measure whether the change flags find it
/// (docs/metrics.md): for the issues of one request type created in the 7 local dates from
/// <see cref="Week"/>, the volume is doubled, the median time to close is doubled and the share
/// closed within <see cref="SlaDays"/> drops by 25 percentage points (without an SLA: volume and
/// median only). Close times are changed by one monotone stretch of each issue's timeline, so the
/// order of its events is kept.
/// </summary>
/// <param name="RequestType">The request type title, as the generator names it.</param>
/// <param name="Week">The first of the 7 creation dates changed (a Sunday, to match the weekly tables).</param>
/// <param name="SlaDays">The type's SLA days, or null when it has none.</param>
internal sealed record InjectedChange(string RequestType, DateOnly Week, double? SlaDays)
{
    /// <summary>How far the share within SLA drops, in points.</summary>
    public const double SlaShareDrop = 25;

    /// <summary>
    /// Reads <c>yyyy-MM-dd:Request type</c> and takes the type's SLA from <paramref name="sla"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The text is not a date, a colon and a request type the generator knows.</exception>
    public static InjectedChange Parse(string text, Metrics.SlaTable sla)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sla);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || !DateOnly.TryParseExact(text[..colon].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var week))
        {
            throw new ArgumentException($"'{text}' is not a change: write yyyy-MM-dd:Request type, e.g. 2026-09-06:Potholes.", nameof(text));
        }
        var type = text[(colon + 1)..].Trim();
        var profile = RequestTypeProfile.Detroit.FirstOrDefault(p => p.Title.Equals(type, StringComparison.OrdinalIgnoreCase)) ?? throw new ArgumentException(
            $"'{type}' is not a request type of the generator; one of: {string.Join(", ", RequestTypeProfile.Detroit.Select(p => p.Title))}.", nameof(text));
        return new InjectedChange(profile.Title, week, sla.Find(profile.Title)?.SlaDays);
    }

    /// <summary>Whether a local creation time falls in the changed week.</summary>
    public bool Covers(DateTime local) => DateOnly.FromDateTime(local) is var date && date >= Week && date < Week.AddDays(7);

    /// <summary>
    /// The creations with those of the changed type in the changed week doubled: each gets a twin
    /// at a random time in the same hour of the same date (so the day and hour profile is kept).
    /// </summary>
    public static (DateTime Local, int Type)[] DoubleVolume((DateTime Local, int Type)[] created, IReadOnlyList<InjectedChange> changes, int seed)
    {
        if (changes.Count == 0)
        {
            return created;
        }
        var random = new Random(unchecked(seed * 7919 + 17));
        var extra = new List<(DateTime, int)>();
        foreach (var change in changes)
        {
            var type = IndexOf(change.RequestType);
            foreach (var (local, t) in created)
            {
                if (t == type && change.Covers(local))
                {
                    extra.Add((local.Date.AddHours(local.Hour).AddSeconds(random.Next(3600)), t));
                }
            }
        }
        var result = created.Concat(extra).ToArray();
        Array.Sort(result, (a, b) => a.Item1.CompareTo(b.Item1) is var c && c != 0 ? c : a.Item2.CompareTo(b.Item2));
        return result;
    }

    /// <summary>The index of a title in <see cref="RequestTypeProfile.Detroit"/>.</summary>
    public static int IndexOf(string title)
    {
        for (var t = 0; t < RequestTypeProfile.Detroit.Count; t++)
        {
            if (RequestTypeProfile.Detroit[t].Title == title)
            {
                return t;
            }
        }
        throw new ArgumentException($"'{title}' is not a request type of the generator.", nameof(title));
    }
}

/// <summary>
/// The stretch h of an <see cref="InjectedChange"/>: a monotone map of days since creation,
/// piecewise linear in log–log between anchors taken from the type's own close-time distribution G
/// (estimated from simulated issues, never-closed ones at infinity): h(median of G) = 2 × median,
/// and h(the (p₀ − 0.25) quantile of G) = SLA days, where p₀ = G(SLA). So after the change the
/// median is twice as long and P(days &lt; SLA) is p₀ − 0.25 exactly (in distribution).
/// </summary>
internal sealed class ChangeStretch
{
    private readonly double[] _logX;
    private readonly double[] _logY;

    private ChangeStretch(double[] logX, double[] logY)
    {
        _logX = logX;
        _logY = logY;
    }

    /// <summary>The stretch for days to close drawn from G (<paramref name="days"/>; infinity for never closed).</summary>
    /// <exception cref="ArgumentException">The change is not possible for this type (most issues never close, or the SLA share is below 25 %).</exception>
    public static ChangeStretch For(string requestType, IReadOnlyList<double> days, double? slaDays)
    {
        var sorted = days.Order().ToArray();
        var median = QuantileOf(sorted, 0.5);
        if (!double.IsFinite(median))
        {
            throw new ArgumentException($"'{requestType}': fewer than half of its issues close, so its median cannot be doubled.", nameof(requestType));
        }
        var anchors = new List<(double X, double Y)> { (median, 2 * median) };
        if (slaDays is { } sla)
        {
            var share = sorted.Count(d => d > 0 && d < sla) / (double)sorted.Length;
            var target = share - InjectedChange.SlaShareDrop / 100;
            if (target <= 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"'{requestType}': only {share:P0} close within its SLA of {sla} days, so the share cannot drop by {InjectedChange.SlaShareDrop} points."), nameof(requestType));
            }
            anchors.Add((QuantileOf(sorted, target), sla));
        }
        anchors.Sort((a, b) => a.X.CompareTo(b.X));
        for (var k = 1; k < anchors.Count; k++)
        {
            if (!(anchors[k].X > anchors[k - 1].X && anchors[k].Y > anchors[k - 1].Y))
            {
                throw new ArgumentException($"'{requestType}': doubling the median and lowering the SLA share by {InjectedChange.SlaShareDrop} points contradict each other for this type's close times.", nameof(requestType));
            }
        }
        return new ChangeStretch([.. anchors.Select(a => Math.Log(a.X))], [.. anchors.Select(a => Math.Log(a.Y))]);
    }

    /// <summary>h(<paramref name="days"/>); 0 and below are kept.</summary>
    public double Map(double days) => days <= 0 ? days : Math.Exp(Interpolate(_logX, _logY, Math.Log(days)));

    /// <summary>h⁻¹(<paramref name="days"/>).</summary>
    public double Inverse(double days) => days <= 0 ? days : Math.Exp(Interpolate(_logY, _logX, Math.Log(days)));

    /// <summary>Linear between anchors, slope 1 (a pure scaling) outside them.</summary>
    private static double Interpolate(double[] from, double[] to, double u)
    {
        if (u <= from[0])
        {
            return u + to[0] - from[0];
        }
        for (var k = 1; k < from.Length; k++)
        {
            if (u <= from[k])
            {
                return to[k - 1] + (u - from[k - 1]) * (to[k] - to[k - 1]) / (from[k] - from[k - 1]);
            }
        }
        return u + to[^1] - from[^1];
    }

    /// <summary>A value below which a share <paramref name="p"/> of the sorted values lie (the midpoint between the neighbouring order statistics).</summary>
    private static double QuantileOf(double[] sorted, double p)
    {
        var rank = p * sorted.Length;
        var below = Math.Clamp((int)Math.Ceiling(rank) - 1, 0, sorted.Length - 1);
        var above = Math.Clamp((int)Math.Ceiling(rank), 0, sorted.Length - 1);
        return double.IsInfinity(sorted[above]) ? sorted[above] : (sorted[below] + sorted[above]) / 2;
    }

    /// <summary>
    /// The issue with its timeline stretched: every event's time since creation t becomes h(t)
    /// (whole seconds, Detroit's offset). It must have been built with the snapshot moved to
    /// creation + h⁻¹(snapshot − creation), so that exactly the events that happen before the real
    /// <paramref name="snapshot"/> after stretching are in it. The status and update time are set
    /// again from the stretched close (archived 7 days after closing, as the generator does).
    /// </summary>
    public SampleIssue Apply(SampleIssue issue, DateTimeOffset snapshot)
    {
        var r = issue.Request;
        var created = r.CreatedAt;
        DateTimeOffset? At(DateTimeOffset? time)
        {
            if (time is not { } t)
            {
                return null;
            }
            var at = created.AddSeconds(Math.Round(Map((t - created).TotalDays) * 86_400));
            at = at > snapshot ? snapshot : at;
            return at.ToOffset(CityTime.Detroit.GetUtcOffset(at));
        }
        var closed = At(r.ClosedAt);
        var acknowledged = At(r.AcknowledgedAt);
        var reopened = At(r.ReopenedAt);
        var status = closed is { } c ? (snapshot - c > TimeSpan.FromDays(7) ? IssueStatus.Archived : IssueStatus.Closed) : r.Status;
        var lastEvent = new[] { acknowledged, closed, reopened }.Aggregate(created, (max, t) => t is { } v && v > max ? v : max);
        var updated = (status == IssueStatus.Archived ? closed!.Value.AddDays(7) : lastEvent).AddSeconds(1 + r.Id % 1800);
        var active = r.ActiveServiceRequest;
        return issue with
        {
            Request = r with
            {
                Status = status,
                AcknowledgedAt = acknowledged,
                ClosedAt = closed,
                ReopenedAt = reopened,
                UpdatedAt = updated > snapshot ? snapshot : updated,
                Comments = [.. r.Comments.Select(x => x with { CreatedAt = At(x.CreatedAt) })],
                ActiveServiceRequest = active is null ? null : active with
                {
                    CreatedAt = At(active.CreatedAt),
                    AcceptedAt = At(active.AcceptedAt),
                    LastAssignedAt = At(active.LastAssignedAt),
                    StartedAt = At(active.StartedAt),
                    FinishedAt = At(active.FinishedAt),
                    ClosedAt = At(active.ClosedAt),
                    ReopenedAt = At(active.ReopenedAt),
                },
            },
        };
    }
}
