using ServiceRequests.ArcGis;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.ArcGis;

[Collection(EnvironmentCollection.Name)]
public class FeatureLayerOptionsTests
{
    [Fact]
    public void The_token_comes_from_the_environment_and_is_never_printed()
    {
        using var _ = new EnvironmentVariables((FeatureLayerOptions.TokenVariable, " esri-tok-123 "));

        var options = new FeatureLayerOptions();

        Assert.Equal("esri-tok-123", options.Token);
        Assert.Equal("page size the layer's maximum, token set, zone America/Detroit", options.ToString());
    }

    [Fact]
    public void Without_the_variable_there_is_no_token_and_the_defaults_are_Detroits()
    {
        using var _ = new EnvironmentVariables((FeatureLayerOptions.TokenVariable, null));

        var options = new FeatureLayerOptions { PageSize = 2000 };

        Assert.Null(options.Token);
        Assert.Same(FeatureFieldMapping.Detroit, options.Fields);
        Assert.Equal("page size 2,000, token not set, zone America/Detroit", options.ToString());
    }

    [Fact]
    public void A_page_size_below_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new FeatureLayerClient(new Uri("https://host/arcgis/rest/services/x/FeatureServer/0"), new FeatureLayerOptions { PageSize = 0 }));
    }
}
