using System.Text;
using ServiceRequests.ArcGis;

namespace ServiceRequests.Tests.ArcGis;

public class FeatureLayerInfoTests
{
    private static FeatureLayerInfo? Parse(string json, out System.Text.Json.JsonElement? error) =>
        FeatureLayerInfo.Parse(Encoding.UTF8.GetBytes(json), "layer", out error);

    [Fact]
    public void Metadata_gives_fields_object_id_and_maxRecordCount()
    {
        var info = Parse("""
            {"name":"improve_detroit","objectIdField":"OBJECTID","maxRecordCount":2000,
             "advancedQueryCapabilities":{"supportsPagination":true},
             "fields":[{"name":"OBJECTID","type":"esriFieldTypeOID"},{"name":"created_at","type":"esriFieldTypeDate","alias":"Created"}]}
            """, out var error)!;

        Assert.Null(error);
        Assert.Equal("improve_detroit", info.Name);
        Assert.Equal("OBJECTID", info.ObjectIdField);
        Assert.Equal(2000, info.MaxRecordCount);
        Assert.True(info.SupportsPagination);
        Assert.Equal(FeatureLayerInfo.DateType, info.Fields["CREATED_AT"]);
    }

    [Fact]
    public void Missing_values_fall_back_to_the_oid_field_and_1000_records()
    {
        var info = Parse("""{"fields":[{"name":"fid","type":"esriFieldTypeOID"}],"advancedQueryCapabilities":{"supportsPagination":false}}""", out _)!;

        Assert.Equal("fid", info.ObjectIdField);
        Assert.Equal(FeatureLayerInfo.DefaultMaxRecordCount, info.MaxRecordCount);
        Assert.False(info.SupportsPagination);
    }

    [Fact]
    public void An_error_body_is_handed_back()
    {
        Assert.Null(Parse("""{"error":{"code":499,"message":"Token Required","details":[]}}""", out var error));
        Assert.Equal(499, error!.Value.GetProperty("code").GetInt32());
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("""{"layers":[]}""", "no 'fields' list")]
    [InlineData("""{"fields":[{"name":"a","type":"esriFieldTypeString"}]}""", "no object id field")]
    [InlineData("""{"fields":[{"name":"a"}]}""", "no name or type")]
    public void Other_answers_are_format_errors_naming_the_source(string json, string what)
    {
        var error = Assert.Throws<ServiceRequestsException>(() => Parse(json, out _));

        Assert.StartsWith("layer", error.Message);
        Assert.Contains(what, error.Message);
    }
}
