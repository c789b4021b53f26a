using System.Globalization;
using ServiceRequests.Sample;
using ServiceRequests.SeeClickFix;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Tests.SeeClickFix;

public class FlatIssueTests
{
    [Fact]
    public void DefaultColumns_are_the_city_exporters_43_in_order()
    {
        Assert.Equal(43, FlatIssue.DefaultColumns.Count);
        Assert.Equal("id", FlatIssue.DefaultColumns[0]);
        Assert.Equal("active_service_request_assignee_name", FlatIssue.DefaultColumns[33]);
        Assert.Equal("canonical_issue_id", FlatIssue.DefaultColumns[^1]);
        Assert.Equal(FlatIssue.DefaultColumns.Count, FlatIssue.DefaultColumns.Distinct().Count());
    }

    [Fact]
    public void Flattening_joins_nested_keys_with_underscores()
    {
        var issue = new ServiceRequest
        {
            Id = 4764238,
            Status = IssueStatus.Archived,
            CreatedAt = DateTimeOffset.Parse("2017-01-01T04:01:42-05:00", CultureInfo.InvariantCulture),
            UpdatedAt = DateTimeOffset.Parse("2017-01-02T10:00:00-05:00", CultureInfo.InvariantCulture),
            Lng = -83.1073352,
            Assignee = new Person(7, "Pat Crew", "Verified Official"),
            ActiveServiceRequest = new ActiveServiceRequest { Status = "accepted", Assignee = new Person(8, "Lee Lead", "Supervisor") },
            RequestType = new RequestTypeRef(22880, "Traffic Complaints", "City of Detroit"),
        };

        var values = FlatIssue.ToValues(issue);
        string? Value(string column) => values[FlatIssue.DefaultColumns.ToList().IndexOf(column)];

        Assert.Equal("4764238", Value("id"));
        Assert.Equal("Archived", Value("status"));
        Assert.Equal("2017-01-01T04:01:42-05:00", Value("created_at"));
        Assert.Equal("-83.1073352", Value("lng"));
        Assert.Equal("Pat Crew", Value("assignee_name"));
        Assert.Equal("accepted", Value("active_service_request_status"));
        Assert.Equal("8", Value("active_service_request_assignee_id"));
        Assert.Equal("Traffic Complaints", Value("request_type_title"));
        Assert.Null(Value("closed_at"));
        Assert.Null(Value("canonical_issue_id"));
    }

    [Fact]
    public void Generated_issues_survive_a_round_trip_through_the_private_columns()
    {
        foreach (var sample in SampleGenerator.Generate(new SampleOptions { Issues = 300, Seed = 5 }))
        {
            var issue = sample.Request;
            var values = FlatIssue.ToValues(issue, FlatIssue.PrivateColumns);
            var back = FlatIssue.FromValues(FlatIssue.PrivateColumns, values);

            Assert.Equal(values, FlatIssue.ToValues(back, FlatIssue.PrivateColumns));
            Assert.Equal(issue.Id, back.Id);
            Assert.Equal(issue.ClosedAt, back.ClosedAt);
            Assert.Equal(issue.ClosingComment, back.ClosingComment);
        }
    }

    [Fact]
    public void A_bad_value_is_reported_with_row_and_column()
    {
        var columns = new[] { "id", "status", "created_at", "updated_at" };
        var error = Assert.Throws<ServiceRequestsException>(() =>
            FlatIssue.FromValues(columns, ["12", "Open", "yesterday", "2017-01-01T04:01:42-05:00"], "issues.csv row 7"));
        Assert.Contains("issues.csv row 7", error.Message);
        Assert.Contains("created_at", error.Message);

        var status = Assert.Throws<ServiceRequestsException>(() =>
            FlatIssue.FromValues(columns, ["12", "Pending", "2017-01-01T04:01:42-05:00", "2017-01-01T04:01:42-05:00"]));
        Assert.Contains("status", status.Message);
    }

    [Fact]
    public void Unknown_column_names_are_rejected_with_the_known_list()
    {
        var issue = SampleGenerator.Generate(new SampleOptions { Issues = 1 }).Single().Request;
        var error = Assert.Throws<ArgumentException>(() => FlatIssue.GetValue(issue, "reporter_ssn"));
        Assert.Contains("reporter_name", error.Message);
    }

    [Theory]
    [InlineData("2017-01-01T04:01:42-05:00", -5)]
    [InlineData("2017-07-01T04:01:42-04:00", -4)]
    [InlineData("2017-07-01T08:01:42Z", 0)]
    public void ParseTimestamp_keeps_the_offset(string text, int offsetHours)
    {
        Assert.Equal(TimeSpan.FromHours(offsetHours), FlatIssue.ParseTimestamp(text).Offset);
    }

    [Theory]
    [InlineData("2017-01-01T04:01:42")]
    [InlineData("01/02/2017")]
    [InlineData("")]
    public void ParseTimestamp_rejects_text_without_an_offset(string text)
    {
        Assert.Throws<ServiceRequestsException>(() => FlatIssue.ParseTimestamp(text));
    }

    [Fact]
    public void Timestamps_are_formatted_exactly_as_the_format_string_says()
    {
        var random = new Random(43);
        DateTimeOffset[] edges =
        [
            new(1, 1, 1, 0, 0, 0, TimeSpan.Zero), new(9999, 12, 31, 23, 59, 59, TimeSpan.FromHours(14)),
            new(2017, 1, 1, 4, 1, 42, TimeSpan.FromHours(-5)), new(2026, 3, 8, 3, 0, 0, new TimeSpan(-3, -30, 0)),
            new(999, 7, 4, 12, 0, 9, TimeSpan.FromMinutes(345)),
        ];
        var values = edges.Concat(Enumerable.Range(0, 2000).Select(_ =>
            new DateTimeOffset(new DateTime(2000, 1, 1).AddSeconds(random.NextDouble() * 1e9), TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1)))));
        foreach (var value in values)
        {
            Assert.Equal(value.ToString(FlatIssue.TimestampFormat, System.Globalization.CultureInfo.InvariantCulture), FlatIssue.FormatTimestamp(value));
        }
    }
}
