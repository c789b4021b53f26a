using ServiceRequests.Socrata;

namespace ServiceRequests.Tests.Socrata;

public class SocrataResourceTests
{
    [Fact]
    public void Reads_the_portal_dataset_and_query_of_an_address()
    {
        var resource = SocrataResource.Parse("https://data.detroitmi.gov/resource/FWZ3-w3yn.json?$where=status%20%3D%20'Open'&$order=created_at");

        Assert.Equal(new Uri("https://data.detroitmi.gov/"), resource.Portal);
        Assert.Equal("fwz3-w3yn", resource.DatasetId);
        Assert.Equal("status = 'Open'", resource.Query.Where);
        Assert.Equal("created_at", resource.Query.Order);
        Assert.Equal("https://data.detroitmi.gov/resource/fwz3-w3yn.json?$where=status%20%3D%20%27Open%27&$order=created_at", resource.ToString());
    }

    [Theory]
    [InlineData("https://data.example.org/resource/abcd-1234", "https://data.example.org/")]
    [InlineData("http://127.0.0.1:5000/resource/abcd-1234.json", "http://127.0.0.1:5000/")]
    [InlineData("https://example.org/api/v2/resource/abcd-1234.json/", "https://example.org/api/v2/")]
    public void Accepts_addresses_with_or_without_extension_and_base_path(string address, string portal)
    {
        Assert.True(SocrataResource.IsResourceAddress(address));
        Assert.Equal(new Uri(portal), SocrataResource.Parse(address).Portal);
    }

    [Theory]
    [InlineData("https://example.org/arcgis/rest/services/x/FeatureServer/0")]
    [InlineData("https://data.example.org/resource/abcd.json")]
    [InlineData("data/improve-detroit-sample.json.gz")]
    [InlineData("sample")]
    [InlineData("ftp://data.example.org/resource/abcd-1234.json")]
    public void Other_sources_are_not_resource_addresses(string source) => Assert.False(SocrataResource.IsResourceAddress(source));

    [Theory]
    [InlineData("https://data.example.org/resource/abcd-1234.csv", ".csv")]
    [InlineData("https://user:secret@data.example.org/resource/abcd-1234.json", "credentials")]
    [InlineData("https://data.example.org/resource/abcd-1234.json?$$app_token=secret", "SOCRATA_APP_TOKEN")]
    [InlineData("https://data.example.org/views/abcd-1234", "not a Socrata resource address")]
    public void Unusable_addresses_are_refused_without_repeating_secrets(string address, string expected)
    {
        var error = Assert.Throws<ServiceRequestsException>(() => SocrataResource.Parse(address));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("secret", error.Message);
    }
}
