using System.Globalization;
using ServiceRequests.Geo;
using ServiceRequests.Portal;
using ServiceRequests.Sample;
using ServiceRequests.SeeClickFix.Model;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Sample;

public class SampleGeneratorTests
{
    [Fact]
    public void Same_seed_same_issues_other_seed_other_issues()
    {
        var a = SampleGenerator.Generate(new SampleOptions { Issues = 200, Seed = 1 }).Select(i => i.ToPortalRow()).ToList();
        var b = SampleGenerator.Generate(new SampleOptions { Issues = 200, Seed = 1 }).Select(i => i.ToPortalRow()).ToList();
        var c = SampleGenerator.Generate(new SampleOptions { Issues = 200, Seed = 2 }).Select(i => i.ToPortalRow()).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Issues_are_ordered_by_creation_with_growing_ids_and_consistent_timelines()
    {
        var options = new SampleOptions { Issues = 5000, Seed = 3 };
        var issues = SampleGenerator.Generate(options).Select(i => i.Request).ToList();
        for (var i = 1; i < issues.Count; i++)
        {
            Assert.True(issues[i].Id > issues[i - 1].Id);
            Assert.True(issues[i].CreatedAt >= issues[i - 1].CreatedAt);
        }
        foreach (var issue in issues)
        {
            Assert.True(issue.UpdatedAt >= issue.CreatedAt);
            Assert.True(issue.UpdatedAt <= options.Snapshot);
            if (issue.ClosedAt is { } closed)
            {
                Assert.True(closed > issue.CreatedAt);
                Assert.Contains(issue.Status, new[] { IssueStatus.Closed, IssueStatus.Archived });
            }
            else
            {
                Assert.Contains(issue.Status, new[] { IssueStatus.Open, IssueStatus.Acknowledged });
            }
            if (issue.CanonicalIssueId is { } canonical)
            {
                Assert.True(canonical < issue.Id);
            }
            Assert.Equal(CityTime.Detroit.GetUtcOffset(issue.CreatedAt), issue.CreatedAt.Offset);
        }
    }

    [Fact]
    public void Every_point_lies_in_its_districts_2026_polygon_and_its_neighborhood_is_of_that_district()
    {
        var districts = BoundaryLayer.CouncilDistricts2026;
        var issues = SampleGenerator.Generate(new SampleOptions { Issues = 20_000, Seed = 7 }).ToList();

        Assert.All(issues, i => Assert.Equal(i.CouncilDistrict.ToString(CultureInfo.InvariantCulture), districts.Locate(i.Request.Lng!.Value, i.Request.Lat!.Value)));
        Assert.All(issues, i => Assert.Contains(DetroitGeography.Districts[i.CouncilDistrict - 1].Neighborhoods, n => n.Name == i.Neighborhood));
        Assert.Equal(7, issues.Select(i => i.CouncilDistrict).Distinct().Count());
        // Duplicates stay at (or within metres of) the first report.
        var byId = issues.ToDictionary(i => i.Request.Id);
        var duplicates = issues.Where(i => i.Request.CanonicalIssueId is { } c && byId.ContainsKey(c)).ToList();
        Assert.NotEmpty(duplicates);
        Assert.All(duplicates, d => Assert.InRange(Math.Abs(d.Request.Lat!.Value - byId[d.Request.CanonicalIssueId!.Value].Request.Lat!.Value), 0, 0.003));
    }

    [Fact]
    public void The_named_neighborhoods_and_centres_lie_in_their_2026_districts()
    {
        foreach (var district in DetroitGeography.Districts)
        {
            Assert.Equal(district.Name, BoundaryLayer.CouncilDistricts2026.Locate(district.Lng, district.Lat));
            Assert.All(district.Neighborhoods, n => Assert.True(district.Name == BoundaryLayer.CouncilDistricts2026.Locate(n.Lng, n.Lat), $"{n.Name} is not in district {district.Name}"));
        }
    }

    [Fact]
    public void Every_location_of_the_bundled_sample_lies_in_its_council_district()
    {
        var sample = IssueData.Load("sample");
        var located = 0;
        for (long row = 0; row < sample.Rows.Count; row++)
        {
            if (sample[PortalSchema.Latitude][row] is double lat && sample[PortalSchema.Longitude][row] is double lng)
            {
                located++;
                Assert.Equal(Convert.ToString(sample[PortalSchema.CouncilDistrict][row], CultureInfo.InvariantCulture), BoundaryLayer.CouncilDistricts2026.Locate(lng, lat));
            }
        }
        Assert.InRange(located, 40_000, 50_000);
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SampleGenerator.Generate(new SampleOptions { Issues = -1 }));
        Assert.Throws<ArgumentException>(() => SampleGenerator.Generate(new SampleOptions { From = new(2025, 1, 2), To = new(2025, 1, 1) }));
        Assert.Empty(SampleGenerator.Generate(new SampleOptions { Issues = 0 }));
    }

    /// <summary>
    /// Realism check against 4,179 real Detroit "Traffic Complaints" (RealData/SOURCES.md): the
    /// generated close times, locations and weekday mix must look like the real ones.
    /// </summary>
    [Fact]
    public void Generated_traffic_complaints_resemble_the_real_ones()
    {
        var realDays = new List<double>();
        using (var csv = CsvHelper.CsvReader.FromFile(RepoPaths.RealData("traffic-complaints-timeline.csv"), new CsvHelper.CsvReaderOptions { Separator = ',' }))
        {
            // Timestamps are epoch milliseconds.
            while (csv.Read())
            {
                if (long.TryParse(csv.GetString("created_at"), out var created) && long.TryParse(csv.GetString("closed_at"), out var closed))
                {
                    realDays.Add((closed - created) / 86_400_000.0);
                }
            }
        }
        Assert.True(realDays.Count > 4000, $"read only {realDays.Count} real issues");
        var generated = SampleGenerator.Generate(new SampleOptions { Issues = 60_000, Seed = 11 })
            .Select(i => i.Request).Where(r => r.RequestType?.Title == "Traffic Complaints").ToList();
        var generatedDays = generated.Where(r => r.ClosedAt.HasValue).Select(r => (r.ClosedAt!.Value - r.CreatedAt).TotalDays).ToList();

        var realMedian = Median(realDays);
        var generatedMedian = Median(generatedDays);
        Assert.InRange(generatedMedian / realMedian, 0.6, 1.6);
        Assert.InRange(Quantile(generatedDays, 0.9) / Quantile(realDays, 0.9), 0.4, 2.5);
        Assert.All(generated, r =>
        {
            Assert.InRange(r.Lat!.Value, 42.25, 42.46);
            Assert.InRange(r.Lng!.Value, -83.29, -82.90);
        });
        var weekend = generated.Count(r => r.CreatedAt.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) / (double)generated.Count;
        Assert.InRange(weekend, 0.2, 0.32); // real: 28.9 %
    }

    private static double Median(List<double> values) => Quantile(values, 0.5);

    private static double Quantile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Round(q * (sorted.Count - 1))];
    }
}
