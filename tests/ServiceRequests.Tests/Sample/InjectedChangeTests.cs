using ServiceRequests.Metrics;
using ServiceRequests.Sample;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Tests.Sample;

/// <summary>The known changes the generator can put into its data, to measure the change flags.</summary>
public class InjectedChangeTests
{
    private static readonly SampleOptions Options = new() { Issues = 4000, Seed = 9, From = new DateOnly(2025, 5, 4), To = new DateOnly(2025, 7, 26) };

    [Fact]
    public void Without_changes_the_generator_is_unchanged()
    {
        var small = Options with { Issues = 500 };
        Assert.Equal(SampleGenerator.Generate(small).Select(i => i.ToPortalRow()), SampleGenerator.Generate(small, []).Select(i => i.ToPortalRow()));
    }

    [Fact]
    public void The_changed_type_doubles_in_its_week_and_nothing_else_moves()
    {
        var change = new InjectedChange("Illegal Dump Sites", new DateOnly(2025, 6, 15), 10);
        var before = SampleGenerator.Generate(Options).Select(i => i.Request).ToList();
        var after = SampleGenerator.Generate(Options, [change]).Select(i => i.Request).ToList();
        static Dictionary<(string, DateOnly), int> Counts(List<ServiceRequest> issues) => issues
            .GroupBy(i => (i.RequestType!.Title!, DateOnly.FromDateTime(CityTime.ToFloating(i.CreatedAt))))
            .ToDictionary(g => g.Key, g => g.Count());
        var a = Counts(before);
        var b = Counts(after);
        foreach (var (key, count) in a)
        {
            var inWeek = key.Item1 == change.RequestType && key.Item2 >= change.Week && key.Item2 < change.Week.AddDays(7);
            Assert.Equal(inWeek ? 2 * count : count, b[key]);
        }
        Assert.True(a.Where(k => k.Key.Item1 == change.RequestType && change.Covers(k.Key.Item2.ToDateTime(TimeOnly.MinValue))).Sum(k => k.Value) >= 30);
        // Ids keep growing with creation time, timelines stay in order and before the snapshot.
        for (var i = 1; i < after.Count; i++)
        {
            Assert.True(after[i].Id > after[i - 1].Id);
        }
        Assert.All(after, i =>
        {
            Assert.True(i.UpdatedAt <= Options.Snapshot && i.UpdatedAt >= i.CreatedAt);
            Assert.True(i.ClosedAt is null || (i.ClosedAt > i.CreatedAt && i.ClosedAt <= Options.Snapshot));
            Assert.True(i.ReopenedAt is null || i.ClosedAt is null || i.ReopenedAt < i.ClosedAt);
            Assert.Contains(i.Status, i.ClosedAt is null ? new[] { IssueStatus.Open, IssueStatus.Acknowledged } : [IssueStatus.Closed, IssueStatus.Archived]);
        });
    }

    [Fact]
    public void The_stretch_doubles_the_median_and_takes_25_points_off_the_share_within_SLA()
    {
        // Close times with a known shape: log-normal, median 5 days, some never closed (infinity).
        var random = new Random(4);
        var days = Enumerable.Range(0, 20_000).Select(_ => random.NextDouble() < 0.05
            ? double.PositiveInfinity
            : 5 * Math.Exp(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToList();
        var sla = 7.0;
        var stretch = ChangeStretch.For("test", days, sla);
        var mapped = days.Select(stretch.Map).Order().ToList();
        var sorted = days.Order().ToList();
        double Median(List<double> v) => (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
        double Within(IEnumerable<double> v) => v.Count(d => d > 0 && d < sla) / (double)days.Count;
        Assert.Equal(2 * Median(sorted), Median(mapped), 3);
        Assert.Equal(Within(days) - 0.25, Within(mapped), 3);
        // Monotone, and the inverse undoes it.
        Assert.True(mapped.Zip(mapped.Skip(1)).All(p => p.First <= p.Second));
        Assert.Equal(3.3, stretch.Inverse(stretch.Map(3.3)), 9);
        // Without an SLA it is a pure doubling.
        Assert.Equal(2 * 1.7, ChangeStretch.For("test", days, null).Map(1.7), 9);
    }

    [Fact]
    public void Impossible_changes_and_bad_text_are_refused_with_a_reason()
    {
        var sla = SlaTable.LoadBundled();
        Assert.Equal(new InjectedChange("Potholes", new DateOnly(2026, 9, 6), 5), InjectedChange.Parse("2026-09-06:potholes", sla));
        Assert.Null(InjectedChange.Parse("2026-09-06:Traffic Complaints", sla).SlaDays);
        Assert.Contains("yyyy-MM-dd:Request type", Assert.Throws<ArgumentException>(() => InjectedChange.Parse("Potholes", sla)).Message);
        Assert.Contains("not a request type", Assert.Throws<ArgumentException>(() => InjectedChange.Parse("2026-09-06:Unicorns", sla)).Message);
        // A share already below 25 % cannot drop by 25 points.
        Assert.Contains("cannot drop", Assert.Throws<ArgumentException>(() => ChangeStretch.For("slow", [.. Enumerable.Range(1, 100).Select(d => d * 10.0)], 15)).Message);
        // Most issues never close: no median to double.
        Assert.Contains("fewer than half", Assert.Throws<ArgumentException>(() => ChangeStretch.For("stuck", [1, double.PositiveInfinity, double.PositiveInfinity], null)).Message);
    }
}
