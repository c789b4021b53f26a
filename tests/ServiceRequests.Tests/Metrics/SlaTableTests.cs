using ServiceRequests.Metrics;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Metrics;

public class SlaTableTests
{
    [Fact]
    public void The_bundled_table_has_the_citys_published_defaults()
    {
        var sla = SlaTable.Load(RepoPaths.Of("data", "sla.csv"));
        Assert.Equal(7, sla.Find("Abandoned Vehicle")!.SlaDays);
        Assert.Equal(5, sla.Find("potholes")!.SlaDays);
        Assert.Equal(1, sla.Find("Residential Snow Removal Issue")!.SlaDays);
        Assert.Equal(45, sla.Find("Squatters - Fraud Investigation")!.SlaDays);
        Assert.Null(sla.Find("Traffic Complaints")!.SlaDays); // listed, without an SLA
        Assert.Equal("Public Lighting Authority", sla.Find("Street Light Out")!.Department);
        Assert.Null(sla.Find("Graffiti"));
        Assert.All(sla.Entries, e => Assert.False(string.IsNullOrEmpty(e.Department)));
    }

    [Fact]
    public void The_bundled_table_is_found_beside_the_sample()
    {
        Assert.Equal(SlaTable.Load(RepoPaths.Of("data", "sla.csv")).Entries, SlaTable.LoadBundled().Entries);
    }

    [Fact]
    public void Quoted_titles_with_commas_are_read()
    {
        var sla = SlaTable.Parse("request_type_title,department,sla_days\n\"Illegal Dumping / Illegal Dump Sites, large\",Public Works,10\n");
        Assert.Equal(10, sla.Find("Illegal Dumping / Illegal Dump Sites, large")!.SlaDays);
    }

    [Theory]
    [InlineData("type,days\nPotholes,5\n", "header")]
    [InlineData("request_type_title,department,sla_days\nPotholes,Public Works,five\n", "line 2")]
    [InlineData("request_type_title,department,sla_days\nPotholes,Public Works,-1\n", "sla_days")]
    [InlineData("request_type_title,department,sla_days\n,Public Works,5\n", "empty")]
    [InlineData("request_type_title,department,sla_days\nPotholes,A,5\npotholes,B,6\n", "twice")]
    [InlineData("", "empty")]
    public void Bad_tables_get_a_clear_error(string csv, string expected)
    {
        var error = Assert.Throws<ServiceRequestsException>(() => SlaTable.Parse(csv, "my-sla.csv"));
        Assert.Contains("my-sla.csv", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
