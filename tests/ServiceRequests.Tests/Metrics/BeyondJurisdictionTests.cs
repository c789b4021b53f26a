using Microsoft.Data.Analysis;
using ServiceRequests.Metrics;
using ServiceRequests.Portal;
using ServiceRequests.Sample;

namespace ServiceRequests.Tests.Metrics;

public class BeyondJurisdictionTests
{
    /// <summary>The private table's two columns this metric reads, built from generated issues (closed ones carry a closing comment).</summary>
    private static DataFrame Closings(IEnumerable<SampleIssue> issues)
    {
        var list = issues.ToList();
        return new DataFrame(
            new StringDataFrameColumn(PortalSchema.RequestTypeTitle, list.Select(i => i.Request.RequestType?.Title)),
            new StringDataFrameColumn(BeyondJurisdiction.ClosingComment, list.Select(i => i.Request.ClosingComment)));
    }

    [Theory]
    [InlineData("This location is outside the City's jurisdiction. Referred to MDOT.", true)]
    [InlineData("Belle Isle is a State park; referred to the Michigan DNR.", true)]
    [InlineData("unable to LOCATE the issue", true)]
    [InlineData("Referred to DTE Energy", true)]
    [InlineData("Owned by the Land Bank.", true)]
    [InlineData("Work completed. Thank you for your report.", false)]
    [InlineData("Resident submitted a statement; repaired.", false)] // "State" only as a whole word
    [InlineData("Updated the real estate record.", false)]          // neither "DTE" in "updated" nor "state" in "estate"
    [InlineData("Closed as a duplicate of issue 17000123.", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Keywords_match_as_whole_words_ignoring_case(string? comment, bool expected) =>
        Assert.Equal(expected, BeyondJurisdiction.Matches(comment));

    [Fact]
    public void The_keyword_list_is_configurable()
    {
        Assert.True(BeyondJurisdiction.Matches("Sent to Consumers Energy.", ["consumers energy"]));
        Assert.False(BeyondJurisdiction.Matches("Referred to MDOT.", ["consumers energy"]));
        var error = Assert.Throws<ArgumentException>(() => BeyondJurisdiction.Matches("x", ["MDOT", " "]));
        Assert.Contains("blank", error.Message);
    }

    [Fact]
    public void Generated_closing_comments_give_the_share_per_type()
    {
        var issues = SampleGenerator.Generate(new SampleOptions { Issues = 3000, Seed = 5 }).ToList();
        var table = BeyondJurisdiction.ShareByType(Closings(issues));
        Assert.Equal(["request_type_title", "num_closed_with_comment", "num_beyond_jurisdiction", "perc_beyond_jurisdiction"], table.Columns.Select(c => c.Name));

        // Worked out independently from the generated issues: closed ones have a comment.
        foreach (var group in issues.Where(i => i.Request.ClosingComment is not null).GroupBy(i => i.Request.RequestType!.Title!))
        {
            var row = Issues.Row(table, group.Key);
            Assert.Equal(group.Count(), row[1]);
        }
        // "Other - ..." types are closed as referred or outside jurisdiction, unless closed as duplicates.
        var other = Issues.Row(table, "Other - Not within City jurisdiction");
        var otherIssues = issues.Where(i => i.Request.RequestType!.Title == "Other - Not within City jurisdiction" && i.Request.ClosingComment is not null).ToList();
        Assert.Equal(otherIssues.Count(i => i.Request.CanonicalIssueId is null), other[2]);
        // Ordinary types: about one in ten closings.
        var potholes = (double)Issues.Cell(table, "Potholes", "perc_beyond_jurisdiction")!;
        Assert.InRange(potholes, 3, 20);
        var all = Issues.Row(table, IssueMetrics.AllTypes);
        Assert.Equal(issues.Count(i => i.Request.ClosingComment is not null), all[1]);
        Assert.Equal(IssueMetrics.AllTypes, table.Columns[0][table.Rows.Count - 1]);
    }

    [Fact]
    public void Flag_marks_each_row_and_leaves_rows_without_a_comment_empty()
    {
        var frame = new DataFrame(
            new StringDataFrameColumn(PortalSchema.RequestTypeTitle, ["Potholes", "Potholes", "Tree Issue", "Tree Issue"]),
            new StringDataFrameColumn(BeyondJurisdiction.ClosingComment, ["Referred to Wayne County.", "Crew completed the work order.", null, "  "]));
        var flag = BeyondJurisdiction.Flag(frame);
        Assert.Equal(BeyondJurisdiction.FlagColumn, flag.Name);
        Assert.Equal([true, false, null, null], flag.Cast<bool?>());

        var table = BeyondJurisdiction.ShareByType(frame);
        Assert.Equal(["Potholes", IssueMetrics.AllTypes], table["request_type_title"].Cast<string>());
        Assert.Equal(50.0, Issues.Cell(table, "Potholes", "perc_beyond_jurisdiction"));
    }

    [Fact]
    public void A_frame_without_closing_comments_is_refused_with_the_reason()
    {
        var frame = new DataFrame(new StringDataFrameColumn(PortalSchema.RequestTypeTitle, ["Potholes"]));
        var error = Assert.Throws<ArgumentException>(() => BeyondJurisdiction.ShareByType(frame));
        Assert.Contains("closing_comment", error.Message);
        Assert.Contains("private table", error.Message);
    }
}
