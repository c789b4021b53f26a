using ServiceRequests.Metrics;
using ServiceRequests.Portal;

namespace ServiceRequests.Tests.Metrics;

/// <summary>Re-opened and duplicate rates per group, on issues whose answer is known.</summary>
public class ReopenDuplicateRatesTests
{
    private static readonly Microsoft.Data.Analysis.DataFrame Frame = Issues.Frame(
        new Issue("Potholes", "2025-06-01 08:00") { Reopened = "2025-06-03 08:00" },
        new Issue("Potholes", "2025-06-02 08:00"),
        new Issue("Potholes", "2025-06-09 08:00") { Canonical = 1 },
        new Issue("Tree Issue", "2025-06-02 23:59") { Canonical = 2, Reopened = "2025-06-05 08:00" },
        new Issue(null, "2025-06-02 08:00"),
        new Issue("Tree Issue", null));

    private static readonly SlaTable Sla = SlaTable.Parse("request_type_title,department,sla_days\nPotholes,Public Works,2\nTree Issue,General Services,14\n");

    [Fact]
    public void Counts_and_rates_per_value_of_a_column()
    {
        var t = ReopenDuplicateRates.By(Frame, "request_type_title");
        Assert.Equal(["request_type_title", "num_issues", "num_reopened", "perc_reopened", "num_duplicates", "perc_duplicates"], t.Columns.Select(c => c.Name));
        Assert.Equal(["Potholes", "Tree Issue", ReopenDuplicateRates.NoValue], Issues.Values(t, "request_type_title"));
        Assert.Equal([3, 1, 1], Issues.Values(t, "num_issues"));
        Assert.Equal([1, 1, 0], Issues.Values(t, "num_reopened"));
        Assert.Equal([100.0 / 3, 100.0, 0.0], Issues.Values(t, "perc_reopened"));
        Assert.Equal([1, 1, 0], Issues.Values(t, "num_duplicates"));
    }

    [Fact]
    public void A_range_keeps_issues_created_on_both_end_days()
    {
        var t = ReopenDuplicateRates.By(Frame, "request_type_title", new DateOnly(2025, 6, 2), new DateOnly(2025, 6, 2));
        Assert.Equal(["Potholes", "Tree Issue", ReopenDuplicateRates.NoValue], Issues.Values(t, "request_type_title"));
        Assert.Equal([1, 1, 1], Issues.Values(t, "num_issues"));
        Assert.Throws<ArgumentException>(() => ReopenDuplicateRates.By(Frame, "status", new DateOnly(2025, 6, 3), new DateOnly(2025, 6, 2)));
    }

    [Fact]
    public void By_department_groups_types_as_the_sla_table_assigns_them()
    {
        var t = ReopenDuplicateRates.ByDepartment(Frame, Sla);
        Assert.Equal("department", t.Columns[0].Name);
        Assert.Equal([IssueMetrics.NoDepartment, "General Services", "Public Works"], Issues.Values(t, "department"));
        Assert.Equal([1, 1, 3], Issues.Values(t, "num_issues"));
        Assert.Equal([0.0, 100.0, 100.0 / 3], Issues.Values(t, "perc_duplicates"));
    }

    [Fact]
    public void Numbers_sort_by_value_and_a_missing_column_is_named()
    {
        var t = ReopenDuplicateRates.By(Frame, PortalSchema.CanonicalIssueId);
        Assert.Equal(["1", "2", ReopenDuplicateRates.NoValue], Issues.Values(t, PortalSchema.CanonicalIssueId));
        Assert.Contains("'ward'", Assert.Throws<ArgumentException>(() => ReopenDuplicateRates.By(Frame, "ward")).Message);
    }
}
