using ServiceRequests.Metrics;
using ServiceRequests.Portal;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Metrics;

/// <summary>Equity views per area on issues whose answers are worked out by hand (docs/metrics.md).</summary>
public class AreaMetricsTests
{
    private static readonly SlaTable Sla = SlaTable.Parse("request_type_title,department,sla_days\nPotholes,Public Works,2\nTree Issue,General Services,14\n");

    // Potholes close fast, trees slowly. District 2 receives mostly trees, so its crude mean is slow;
    // by type it is as fast as district 1 for potholes and slower for trees.
    private static readonly Microsoft.Data.Analysis.DataFrame Frame = Issues.Frame(
        new Issue("Tree Issue", null) { District = 2 },                                   // no created_at: in no table
        new Issue("Potholes", "2025-06-01 08:00", "2025-06-02 08:00") { District = 1 },     // 1 day
        new Issue("Potholes", "2025-06-01 08:00", "2025-06-02 08:00") { District = 1 },     // 1 day
        new Issue("Potholes", "2025-06-01 08:00", "2025-06-04 08:00") { District = 1 },     // 3 days: breached
        new Issue("Tree Issue", "2025-06-01 08:00", "2025-06-11 08:00") { District = 1 },   // 10 days
        new Issue("Tree Issue", "2025-06-03 08:00") { District = 1 },                       // open
        new Issue("Potholes", "2025-06-02 08:00", "2025-06-03 08:00") { District = 2 },     // 1 day
        new Issue("Tree Issue", "2025-06-02 08:00", "2025-06-22 08:00") { District = 2 },   // 20 days: breached
        new Issue("Tree Issue", "2025-06-02 08:00", "2025-06-22 08:00") { District = 2 },   // 20 days: breached
        new Issue("Tree Issue", "2025-06-02 08:00", "2025-06-10 08:00") { District = 2 },   // 8 days
        new Issue("Tree Issue", "2025-06-04 08:00", "2025-06-08 08:00") { District = 3 },   // 4 days, trees only
        new Issue("Potholes", "2025-06-04 08:00", "2025-06-06 08:00"));                     // 2 days: breached; no district

    [Fact]
    public void Each_area_against_the_city_has_its_difference_and_an_interval_from_the_citys_spread()
    {
        var t = new AreaMetrics(Frame, Sla).DifferenceFromCity();

        Assert.Equal(["council_district", "num_closed", "adjusted_mean_days_to_close", "diff_mean_days_to_close", "diff_mean_days_to_close_low", "diff_mean_days_to_close_high",
            "num_closed_with_sla", "adjusted_perc_within_sla", "diff_perc_within_sla", "diff_perc_within_sla_low", "diff_perc_within_sla_high", "small_area"], t.Columns.Select(c => c.Name));
        Assert.Equal(["1", "2", "3", ReopenDuplicateRates.NoValue], Issues.Values(t, "council_district"));
        // District 1: potholes 1, 1, 3 (mean 5/3), one tree of 10 days; the city's weights 5 and 5, its mean 7.
        // Variance per type from the city: potholes 0.8, trees 52.8, so var = (25·0.8/3 + 25·52.8/1) / 10².
        var half = 1.959963984540054 * Math.Sqrt((25 * 0.8 / 3 + 25 * 52.8) / 100);
        Assert.Equal(35 / 6.0, (double)Issues.Cell(t, "1", "adjusted_mean_days_to_close")!, 9);
        Assert.Equal(35 / 6.0 - 7, (double)Issues.Cell(t, "1", "diff_mean_days_to_close")!, 9);
        Assert.Equal(35 / 6.0 - 7 - half, (double)Issues.Cell(t, "1", "diff_mean_days_to_close_low")!, 9);
        Assert.Equal(35 / 6.0 - 7 + half, (double)Issues.Cell(t, "1", "diff_mean_days_to_close_high")!, 9);
        // SLA: the city's 60 % per type; district 1 has 2 of 3 potholes and 1 of 1 tree within: 83.33 %, +23.33 points, var = 25·2400·(1/3 + 1) / 10².
        var slaHalf = 1.959963984540054 * Math.Sqrt(25 * 2400 * (1 / 3.0 + 1) / 100);
        Assert.Equal(250 / 3.0 - 60, (double)Issues.Cell(t, "1", "diff_perc_within_sla")!, 9);
        Assert.Equal(250 / 3.0 - 60 + slaHalf, (double)Issues.Cell(t, "1", "diff_perc_within_sla_high")!, 9);
        // Every area has fewer than MinimumVolume (20) closed issues.
        Assert.All(Issues.Values(t, "small_area"), v => Assert.Equal(true, v));
        Assert.All(Issues.Values(new AreaMetrics(Frame, Sla, options: new MetricOptions { MinimumVolume = 2 }).DifferenceFromCity(), "small_area").Take(2), v => Assert.Equal(false, v));
    }

    [Fact]
    public void Mix_adjusted_time_to_close_and_sla_share_are_standardised_to_the_citys_mix()
    {
        var t = new AreaMetrics(Frame, Sla).MixAdjusted();

        Assert.Equal(["council_district", "num_issues", "num_closed", "median_days_to_close", "mean_days_to_close", "adjusted_mean_days_to_close",
            "expected_mean_days_to_close", "type_mix_coverage_pct", "num_closed_with_sla", "perc_within_sla", "adjusted_perc_within_sla", "sla_mix_coverage_pct"],
            t.Columns.Select(c => c.Name));
        Assert.Equal([AreaMetrics.City, "1", "2", "3", ReopenDuplicateRates.NoValue], Issues.Values(t, "council_district"));
        Assert.Equal([11, 5, 4, 1, 1], Issues.Values(t, "num_issues"));
        Assert.Equal([10, 4, 4, 1, 1], Issues.Values(t, "num_closed"));
        // City: potholes 1,1,3,1,2 (mean 1.6), trees 10,20,20,8,4 (mean 12.4); 5 and 5 closed, so weights 1/2 and 1/2.
        Near([7.0, 15 / 4.0, 49 / 4.0, 4.0, 2.0], Issues.Values(t, "mean_days_to_close"));
        // District 1: 1/2 × 5/3 + 1/2 × 10; district 2: 1/2 × 1 + 1/2 × 16; district 3 has trees only: rescaled to them.
        Near([7.0, 35 / 6.0, 8.5, 4.0, 2.0], Issues.Values(t, "adjusted_mean_days_to_close"));
        // The city's means for each area's own mix: 3/4 × 1.6 + 1/4 × 12.4 and 1/4 × 1.6 + 3/4 × 12.4.
        Near([7.0, 4.3, 9.7, 12.4, 1.6], Issues.Values(t, "expected_mean_days_to_close"));
        Near([100.0, 100.0, 100.0, 50.0, 50.0], Issues.Values(t, "type_mix_coverage_pct"));
        Near([3.5, 2.0, 14.0, 4.0, 2.0], Issues.Values(t, "median_days_to_close"));
        // Within SLA (0 < days < SLA): potholes 2/3 in 1, 1/1 in 2; trees 1/1 in 1, 1/3 in 2, 1/1 in 3.
        Near([60.0, 75.0, 50.0, 100.0, 0.0], Issues.Values(t, "perc_within_sla"));
        Near([60.0, 0.5 * 200 / 3 + 50, 50 + 0.5 * 100 / 3, 100.0, 0.0], Issues.Values(t, "adjusted_perc_within_sla"));
        Near([100.0, 100.0, 100.0, 50.0, 50.0], Issues.Values(t, "sla_mix_coverage_pct"));
    }

    [Fact]
    public void A_range_and_an_area_without_closed_issues()
    {
        var t = new AreaMetrics(Frame, Sla).MixAdjusted(new DateOnly(2025, 6, 3), new DateOnly(2025, 6, 3));

        // Every area keeps its row, so tables of different ranges line up.
        Assert.Equal([AreaMetrics.City, "1", "2", "3", ReopenDuplicateRates.NoValue], Issues.Values(t, "council_district"));
        Assert.Equal([1, 1, 0, 0, 0], Issues.Values(t, "num_issues"));
        Assert.All(Issues.Values(t, "adjusted_mean_days_to_close"), Assert.Null);
        Assert.All(Issues.Values(t, "type_mix_coverage_pct"), Assert.Null);
        Assert.Throws<ArgumentException>(() => new AreaMetrics(Frame, Sla).MixAdjusted(new DateOnly(2025, 6, 4), new DateOnly(2025, 6, 3)));
    }

    [Fact]
    public void Issues_per_1000_residents_with_and_without_a_population_table()
    {
        var metrics = new AreaMetrics(Frame, Sla);
        var population = AreaMetrics.ParsePopulation("# residents per 2026 district, made up\narea,population,source\n1,2000,test\n02,\"4,000\",test\n4,1000,test\n");

        var t = metrics.IssuesPerResident(population);

        Assert.Equal(["council_district", "num_issues", "population", "issues_per_1000_residents"], t.Columns.Select(c => c.Name));
        Assert.Equal(["1", "2", "3", "4", ReopenDuplicateRates.NoValue], Issues.Values(t, "council_district"));
        Assert.Equal([5, 4, 1, 0, 1], Issues.Values(t, "num_issues"));
        Assert.Equal([2000L, 4000L, null, 1000L, null], Issues.Values(t, "population"));
        Assert.Equal([2.5, 1.0, null, 0.0, null], Issues.Values(t, "issues_per_1000_residents"));

        var without = metrics.IssuesPerResident(null, new DateOnly(2025, 6, 2), new DateOnly(2025, 6, 2));
        Assert.Equal([0, 4, 0, 0], Issues.Values(without, "num_issues"));
        Assert.All(Issues.Values(without, "issues_per_1000_residents"), Assert.Null);
    }

    [Fact]
    public void Neighborhoods_group_by_name_and_blank_is_no_area()
    {
        var frame = Issues.Frame(
            new Issue("Potholes", "2025-06-01 08:00") { Neighborhood = "Corktown" },
            new Issue("Potholes", "2025-06-01 08:00") { Neighborhood = " Corktown " },
            new Issue("Potholes", "2025-06-01 08:00") { Neighborhood = "Brightmoor" },
            new Issue("Potholes", "2025-06-01 08:00") { Neighborhood = "  " });
        var metrics = new AreaMetrics(frame, Sla, PortalSchema.Neighborhood);

        var t = metrics.IssuesPerResident(AreaMetrics.ParsePopulation("area,population\ncorktown,1000\n"));

        Assert.Equal(["Brightmoor", "Corktown", ReopenDuplicateRates.NoValue], metrics.Areas);
        Assert.Equal(["Brightmoor", "Corktown", ReopenDuplicateRates.NoValue], Issues.Values(t, "neighborhood"));
        Assert.Equal([null, 2.0, null], Issues.Values(t, "issues_per_1000_residents"));
        Assert.Contains("'ward'", Assert.Throws<ArgumentException>(() => new AreaMetrics(frame, Sla, "ward")).Message);
    }

    [Theory]
    [InlineData("", "pop.csv: the file is empty; expected a header area,population and a row per area.")]
    [InlineData("district,residents\n1,5\n", "pop.csv: the header must name the columns area and population (e.g. area,population), not district,residents.")]
    [InlineData("area,population\n1,100\n\n# note\n2,many\n", "pop.csv, line 5, column population: 'many' is not a number of residents (a whole number, 0 or more).")]
    [InlineData("area,population\n1,-3\n", "pop.csv, line 2, column population: '-3' is not a number of residents (a whole number, 0 or more).")]
    [InlineData("area,population\n1,1.5\n", "pop.csv, line 2, column population: '1.5' is not a number of residents (a whole number, 0 or more).")]
    [InlineData("area,population\n,10\n", "pop.csv, line 2, column area: empty.")]
    [InlineData("area,population\n3,10\n03,20\n", "pop.csv, line 3, column area: '3' appears twice.")]
    [InlineData("area,population\nCorktown,10\nCORKTOWN,20\n", "pop.csv, line 3, column area: 'CORKTOWN' appears twice.")]
    [InlineData("area,population\n1,\"5\n2,3\n", "pop.csv, line 2, column population: '5 2,3' is not a number of residents (a whole number, 0 or more).")]
    public void A_bad_population_table_gets_one_line_naming_file_line_and_column(string csv, string expected)
    {
        Assert.Equal(expected, Assert.Throws<ServiceRequestsException>(() => AreaMetrics.ParsePopulation(csv, "pop.csv")).Message);
    }

    [Fact]
    public void A_missing_population_file_is_named()
    {
        using var temp = new TempFolder();
        Assert.Contains("population.csv", Assert.Throws<ServiceRequestsException>(() => AreaMetrics.LoadPopulation(temp.File("population.csv"))).Message);
        File.WriteAllText(temp.File("population.csv"), "area,population\n1,10\n");
        Assert.Equal(10, AreaMetrics.LoadPopulation(temp.File("population.csv"))["1"]);
    }

    private static void Near(double[] expected, object?[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], Assert.IsType<double>(actual[i]), 9);
        }
    }
}
