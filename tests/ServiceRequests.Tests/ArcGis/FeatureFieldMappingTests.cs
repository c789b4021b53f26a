using ServiceRequests.ArcGis;
using ServiceRequests.Portal;

namespace ServiceRequests.Tests.ArcGis;

public class FeatureFieldMappingTests
{
    [Fact]
    public void Detroit_maps_the_documented_layer_fields()
    {
        var fields = FeatureFieldMapping.Detroit.Fields;

        Assert.Equal("issue_id", fields[PortalSchema.Id]);
        Assert.Equal("request_type", fields[PortalSchema.RequestTypeTitle]);
        Assert.Equal("num_days_to_close", fields[PortalSchema.DaysToClose]);
        Assert.Equal("latitude", fields[PortalSchema.Latitude]);
        Assert.Equal(16, fields.Count);
        Assert.DoesNotContain(PortalSchema.Description, fields.Keys);
        Assert.All(fields.Keys, k => Assert.Contains(k, PortalSchema.FrameColumnNames));
    }

    [Fact]
    public void With_adds_replaces_and_removes_without_changing_the_original()
    {
        var changed = FeatureFieldMapping.Detroit.With(PortalSchema.CanonicalIssueId, "duplicate_of").With(PortalSchema.Address, null);

        Assert.Equal("duplicate_of", changed.Fields[PortalSchema.CanonicalIssueId]);
        Assert.DoesNotContain(PortalSchema.Address, changed.Fields.Keys);
        Assert.Contains(PortalSchema.Address, FeatureFieldMapping.Detroit.Fields.Keys);
        Assert.Contains("duplicate_of→canonical_issue_id", changed.ToString());
    }

    [Theory]
    [InlineData("location", "geo")]
    [InlineData("no_such_column", "x")]
    [InlineData("status", "status; DROP")]
    [InlineData("status", "1abc")]
    [InlineData("status", "")]
    public void Bad_columns_and_field_names_are_refused(string column, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => new FeatureFieldMapping(new Dictionary<string, string> { [column] = field }));

        Assert.Contains(column == "status" ? "not a layer field name" : "not a column of the portal DataFrame", error.Message);
    }

    [Fact]
    public void One_field_cannot_fill_two_columns()
    {
        var error = Assert.Throws<ArgumentException>(() => FeatureFieldMapping.Detroit.With(PortalSchema.UpdatedAt, "CREATED_AT"));

        Assert.Contains("'created_at' and 'updated_at'", error.Message);
    }
}
