using System.Globalization;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Sample;

/// <summary>
/// Generates realistic, deterministic, <b>synthetic</b> Improve Detroit–like issues: Detroit's
/// request types with weekly and seasonal volume, skewed close times per type, some never
/// closed, a few percent re-opened or duplicates, council districts and neighborhoods, and
/// fake reporters, agents, comments and answers (so privacy guards can be tested).
/// </summary>
internal static partial class SampleGenerator
{
    private static readonly double[] DayOfWeekWeight = [0.8, 1.1, 1.08, 1.06, 1.03, 1.0, 0.85]; // Sunday first
    private static readonly double[] HourWeight = [0.4, 0.25, 0.15, 0.1, 0.2, 0.35, 0.8, 1.6, 2.2, 2.5, 2.7, 2.8, 2.6, 2.8, 2.9, 3.0, 2.9, 2.5, 2.5, 2.2, 1.5, 1.4, 1.0, 0.6];
    private static readonly (string Method, double Weight)[] ReportMethods =
        [("Mobile - iOS", 30), ("Mobile - Android", 25), ("Web - Desktop", 20), ("Web - Mobile", 8), ("Phone", 12), ("Email", 3), ("Internal", 2)];
    private static readonly string[] FirstNames = ["James", "Mary", "Darnell", "Keisha", "Robert", "Linda", "Andre", "Tanya", "Miguel", "Rosa", "Ahmed", "Fatima", "John", "Patricia", "Marcus", "Denise", "Luis", "Grace", "Tyrone", "Angela"];
    private static readonly string[] LastNames = ["Johnson", "Williams", "Brown", "Jones", "Davis", "Jackson", "Harris", "Robinson", "Lewis", "Walker", "Hernandez", "Lopez", "Hassan", "Ali", "Thompson", "White", "Moore", "Clark", "Young", "King"];
    private static readonly string[] CompletedComments =
    [
        "Work completed. Thank you for your report.", "The issue has been resolved.", "Crew completed the work order.",
        "Completed by field crew.", "Inspected and repaired.", "Resolved; please submit a new request if the problem returns.",
    ];
    private static readonly string[] BeyondJurisdictionComments =
    [
        "This location is outside the City's jurisdiction. Referred to MDOT.", "Referred to DTE Energy; DTE maintains this line.",
        "Unable to locate the issue at the address given.", "Invalid request: no problem found at this location.",
        "The property belongs to the Detroit Land Bank Authority; referred to the Land Bank.", "Belle Isle is a State park; referred to the Michigan DNR.",
        "This road is maintained by Wayne County; referred to Wayne County.", "State trunkline; referred to the State of Michigan (MDOT).",
    ];
    private static readonly string[] PlateLetters = ["ABC", "DJK", "EHW", "FRT", "GLM", "BNX", "CPZ", "DVR"];

    /// <summary>Generates the issues of <paramref name="options"/>, ordered by creation time (ids ascending).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static IEnumerable<SampleIssue> Generate(SampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return GenerateValidated(options, new Dictionary<InjectedChange, ChangeStretch>());
    }

    /// <summary>As <see cref="Generate(SampleOptions)"/>, with known changes put in (<see cref="InjectedChange"/>).</summary>
    /// <exception cref="ArgumentException">The options are invalid, or a change is not possible for its type.</exception>
    internal static IEnumerable<SampleIssue> Generate(SampleOptions options, IReadOnlyList<InjectedChange> changes)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var stretches = changes.ToDictionary(c => c, c => ChangeStretch.For(c.RequestType, CloseTimes(options.Seed, InjectedChange.IndexOf(c.RequestType)), c.SlaDays));
        return GenerateValidated(options, stretches);
    }

    /// <summary>Days to close (infinity: never) of 20,000 simulated issues of a type, with a recent issue nearby for duplicates: its distribution G.</summary>
    private static double[] CloseTimes(int seed, int typeIndex)
    {
        var created = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var recent = new List<(long Id, DateTimeOffset Created, double Lat, double Lng, string Address, int District)> { (1, created.AddDays(-1), 42.35, -83.05, "", 1) };
        return [.. Enumerable.Range(0, 20_000).Select(k =>
            BuildIssue(new Random(unchecked(seed * 7 + k)), new Random(unchecked(seed * 7 + k) ^ 0x6E0), 2, created, RequestTypeProfile.Detroit[typeIndex], typeIndex, recent, DateTimeOffset.MaxValue).Request.ClosedAt is { } closed
                ? (closed - created).TotalDays
                : double.PositiveInfinity)];
    }

    private static IEnumerable<SampleIssue> GenerateValidated(SampleOptions options, IReadOnlyDictionary<InjectedChange, ChangeStretch> changes)
    {
        var profiles = RequestTypeProfile.Detroit;
        var created = InjectedChange.DoubleVolume(DrawCreations(options, profiles), [.. changes.Keys], options.Seed);
        var snapshot = options.Snapshot;
        var recentByType = new List<(long Id, DateTimeOffset Created, double Lat, double Lng, string Address, int District)>[profiles.Count];
        for (var t = 0; t < recentByType.Length; t++)
        {
            recentByType[t] = [];
        }
        var id = options.FirstId;
        for (var i = 0; i < created.Length; i++)
        {
            var random = new Random(unchecked(options.Seed * 1_000_003 + i));
            // Redraws of a point that missed its district come from their own stream, so the others stay as they were.
            var geo = new Random(unchecked(options.Seed * 1_000_003 + i) ^ 0x6E0);
            var (local, typeIndex) = created[i];
            var at = CityTime.FromFloating(local);
            var change = changes.FirstOrDefault(c => c.Key.Covers(local) && c.Key.RequestType == profiles[typeIndex].Title).Value;
            var issue = change is null
                ? BuildIssue(random, geo, id, at, profiles[typeIndex], typeIndex, recentByType[typeIndex], snapshot)
                : change.Apply(BuildIssue(random, geo, id, at, profiles[typeIndex], typeIndex, recentByType[typeIndex], at.AddDays(change.Inverse((snapshot - at).TotalDays))), snapshot);
            yield return issue;
            var recent = recentByType[typeIndex];
            var r = issue.Request;
            recent.Add((r.Id, r.CreatedAt, r.Lat ?? 0, r.Lng ?? 0, r.Address ?? "", issue.CouncilDistrict));
            if (recent.Count > 64)
            {
                recent.RemoveAt(0);
            }
            id += 1 + random.Next(3);
        }
    }

    private static (DateTime Local, int Type)[] DrawCreations(SampleOptions options, IReadOnlyList<RequestTypeProfile> profiles)
    {
        var random = new Random(options.Seed);
        var days = options.To.DayNumber - options.From.DayNumber + 1;
        var dayCumulative = new double[days];
        var total = 0.0;
        for (var d = 0; d < days; d++)
        {
            var date = options.From.AddDays(d);
            var monthFactor = date.Month is 12 or 1 or 2 ? 0.85 : date.Month is 6 or 7 or 8 ? 1.1 : 1.0;
            var trend = 1.0 + 0.08 * d / days;
            total += DayOfWeekWeight[(int)date.DayOfWeek] * monthFactor * trend;
            dayCumulative[d] = total;
        }
        var typeCumulative = new double[12][];
        for (var m = 0; m < 12; m++)
        {
            typeCumulative[m] = new double[profiles.Count];
            var sum = 0.0;
            for (var t = 0; t < profiles.Count; t++)
            {
                sum += profiles[t].Weight * profiles[t].Season[m];
                typeCumulative[m][t] = sum;
            }
        }
        var hourCumulative = Cumulative(HourWeight);

        var result = new (DateTime, int)[options.Issues];
        for (var i = 0; i < result.Length; i++)
        {
            var date = options.From.AddDays(Pick(dayCumulative, random.NextDouble()));
            var type = Pick(typeCumulative[date.Month - 1], random.NextDouble());
            var hour = Pick(hourCumulative, random.NextDouble());
            var time = new TimeOnly(hour, 0).Add(TimeSpan.FromSeconds(random.Next(3600)));
            result[i] = (date.ToDateTime(time), type);
        }
        Array.Sort(result, (a, b) => a.Item1.CompareTo(b.Item1) is var c && c != 0 ? c : a.Item2.CompareTo(b.Item2));
        return result;
    }

    private static SampleIssue BuildIssue(Random random, Random geo, long id, DateTimeOffset createdAt, RequestTypeProfile profile, int typeIndex,
        List<(long Id, DateTimeOffset Created, double Lat, double Lng, string Address, int District)> recent, DateTimeOffset snapshot)
    {
        // Geography: a district, a point near its centre inside its 2026 polygon, the nearest neighborhood.
        var district = PickDistrict(random);
        var (lat, lng) = (district.Lat + Normal(random) * 0.016, district.Lng + Normal(random) * 0.022);
        if (!DetroitGeography.Contains(district, lat, lng))
        {
            (lat, lng) = DetroitGeography.PointIn(district, geo);
        }
        var streets = DetroitGeography.Streets[district.Number - 1];
        var address = $"{100 + random.Next(19_900)} {streets[random.Next(streets.Length)]}, Detroit, MI";

        // Duplicate of a recent issue of the same type nearby (same place, reported again).
        long? canonical = null;
        if (random.NextDouble() < profile.Duplicates)
        {
            var candidates = recent.Where(r => createdAt - r.Created < TimeSpan.FromDays(14)).ToList();
            if (candidates.Count > 0)
            {
                var c = candidates[random.Next(candidates.Count)];
                canonical = c.Id;
                district = DetroitGeography.Districts[c.District - 1];
                (lat, lng) = (c.Lat + Normal(random) * 0.0003, c.Lng + Normal(random) * 0.0003);
                if (!DetroitGeography.Contains(district, lat, lng))
                {
                    // Reported again across the district line: keep the first report's point.
                    (lat, lng) = (c.Lat, c.Lng);
                }
                address = c.Address;
            }
        }
        var neighborhood = DetroitGeography.NearestNeighborhood(district, lat, lng);

        // Timeline.
        var closeDays = canonical is not null ? LogNormal(random, 0.4, 0.9) : LogNormal(random, profile.MedianDaysToClose, profile.Spread);
        var neverClosed = canonical is null && random.NextDouble() < profile.NeverClosed;
        DateTimeOffset? closedAt = neverClosed ? null : Later(createdAt, closeDays, snapshot);
        DateTimeOffset? acknowledgedAt = null;
        if (random.NextDouble() < (canonical is null ? 0.7 : 0.4))
        {
            var ackDays = LogNormal(random, Math.Min(0.6, closeDays * 0.3), 1.0);
            acknowledgedAt = Later(createdAt, ackDays, snapshot);
            if (acknowledgedAt is { } ack && closedAt is { } closed && ack > closed && random.NextDouble() > 0.05)
            {
                // Almost always acknowledged before closing; a few close first (a real data quirk).
                acknowledgedAt = createdAt + (closed - createdAt) / 2;
            }
        }
        DateTimeOffset? reopenedAt = null;
        if (closedAt is { } firstClose && canonical is null && random.NextDouble() < profile.Reopened)
        {
            reopenedAt = Later(firstClose, 0.5 + random.NextDouble() * 9.5, snapshot);
            if (reopenedAt is { } reopened)
            {
                closedAt = random.NextDouble() < 0.85 ? Later(reopened, LogNormal(random, profile.MedianDaysToClose * 0.6, profile.Spread), snapshot) : null;
            }
        }

        var status = closedAt is { } c2
            ? (snapshot - c2 > TimeSpan.FromDays(7) ? IssueStatus.Archived : IssueStatus.Closed)
            : acknowledgedAt is not null ? IssueStatus.Acknowledged : IssueStatus.Open;
        var lastEvent = Max(createdAt, acknowledgedAt, closedAt, reopenedAt);
        var updatedAt = status == IssueStatus.Archived
            ? closedAt!.Value.AddDays(7).AddSeconds(random.Next(3600))
            : lastEvent.AddSeconds(random.Next(1, 1800));
        if (updatedAt > snapshot)
        {
            updatedAt = snapshot;
        }

        // People (all fake) and the record.
        var (method, agentNeeded) = PickReportMethod(random);
        var reporter = FakePerson(random, "Registered User", withContact: true);
        var assignee = acknowledgedAt is null ? null : FakePerson(random, "Verified Official", withContact: false);
        var comments = new List<IssueComment>();
        if (acknowledgedAt is { } a)
        {
            comments.Add(new IssueComment(id * 10 + 1, "We have received your request and assigned it to a crew.", "Issue Acknowledged", a, assignee));
        }
        if (reopenedAt is { } ro)
        {
            comments.Add(new IssueComment(id * 10 + 2, "The problem is back.", "Issue Re-opened", ro, reporter));
        }
        if (closedAt is { } cl)
        {
            comments.Add(new IssueComment(id * 10 + 3, ClosingText(random, profile, canonical), IssueComment.IssueClosedType, cl, assignee));
        }

        var request = new ServiceRequest
        {
            Id = id,
            Status = status,
            Summary = profile.Title,
            Description = Description(random, profile.Title),
            Rating = 1 + (int)Math.Floor(LogNormal(random, 1.2, 0.6)) % 5,
            Lat = Math.Round(lat, 6),
            Lng = Math.Round(lng, 6),
            Address = address,
            CreatedAt = createdAt,
            AcknowledgedAt = acknowledgedAt,
            ClosedAt = closedAt,
            ReopenedAt = reopenedAt,
            UpdatedAt = updatedAt,
            CommentsCount = comments.Count,
            VoteCount = random.NextDouble() < 0.8 ? 0 : 1 + random.Next(4),
            ReportMethod = method,
            Url = $"https://seeclickfix.com/api/v2/issues/{id}",
            HtmlUrl = $"https://seeclickfix.com/issues/{id}",
            PriorityCode = random.NextDouble() switch { < 0.15 => 1, < 0.85 => 2, _ => 3 },
            Assignee = assignee,
            ActiveServiceRequest = acknowledgedAt is { } acc
                ? new ActiveServiceRequest
                {
                    Status = closedAt is not null ? "closed" : "accepted",
                    CreatedAt = acc,
                    AcceptedAt = acc,
                    LastAssignedAt = acc,
                    StartedAt = closedAt is not null ? acc + (closedAt.Value - acc) / 3 : null,
                    FinishedAt = closedAt,
                    ClosedAt = closedAt,
                    ReopenedAt = reopenedAt,
                    Assignee = assignee,
                }
                : null,
            Reporter = reporter,
            Agent = agentNeeded ? FakePerson(random, "City Agent", withContact: false) : null,
            RequestType = new RequestTypeRef(RequestTypeId(profile.Title, typeIndex), profile.Title, "City of Detroit"),
            CanonicalIssueId = canonical,
            Comments = comments,
            Questions = Questions(random, profile.Title),
            Media = random.NextDouble() < 0.45 ? new IssueMedia($"https://seeclickfix.com/files/issue_images/{id}/full.jpg", $"https://seeclickfix.com/files/issue_images/{id}/square.jpg", null) : null,
        };
        return new SampleIssue(request, neighborhood, district.Number);
    }

    private static long RequestTypeId(string title, int index) => title == "Traffic Complaints" ? 22880 : 6000 + index * 37;

    private static DateTimeOffset? Later(DateTimeOffset from, double days, DateTimeOffset snapshot)
    {
        var at = from.AddSeconds(Math.Max(60, Math.Round(days * 86_400)));
        return at > snapshot ? null : WithCityOffset(at);
    }

    private static DateTimeOffset WithCityOffset(DateTimeOffset instant) => instant.ToOffset(CityTime.Detroit.GetUtcOffset(instant));

    private static DateTimeOffset Max(DateTimeOffset first, params DateTimeOffset?[] others)
    {
        var max = first;
        foreach (var o in others)
        {
            if (o is { } v && v > max)
            {
                max = v;
            }
        }
        return max;
    }
}
