using ServiceRequests.Frames;
using ServiceRequests.Portal;

namespace ServiceRequests.Tests.Portal;

public class PortalSchemaTests
{
    [Fact]
    public void The_portal_has_the_citys_18_columns_and_the_frame_splits_the_point()
    {
        Assert.Equal(
            ["id", "status", "request_type_title", "description", "created_at", "acknowledged_at", "closed_at", "reopened_at",
             "updated_at", "days_to_close", "report_method", "priority_code", "canonical_issue_id", "web_url", "address",
             "neighborhood", "council_district", "location"],
            PortalSchema.Columns.Select(c => c.Name));
        Assert.Contains("latitude", PortalSchema.FrameColumnNames);
        Assert.Contains("longitude", PortalSchema.FrameColumnNames);
        Assert.DoesNotContain("location", PortalSchema.FrameColumnNames);
        Assert.All(PortalSchema.Columns.Where(c => c.Name.EndsWith("_at", StringComparison.Ordinal)), c => Assert.Equal(ColumnType.Timestamp, c.FrameType));
    }
}
