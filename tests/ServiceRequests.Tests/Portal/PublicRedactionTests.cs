using ServiceRequests.Portal;

namespace ServiceRequests.Tests.Portal;

public class PublicRedactionTests
{
    [Theory]
    [InlineData("Abandoned Vehicle", true)]
    [InlineData("abandoned vehicle ", true)]
    [InlineData("Illegal Dumping In Progress", true)]
    [InlineData("Squatters Issue", true)]
    [InlineData("Potholes", false)]
    [InlineData(null, false)]
    public void Default_list_is_the_citys(string? type, bool redacted)
    {
        Assert.Equal(redacted, PublicRedaction.Default.IsRedacted(type));
    }

    [Fact]
    public void A_custom_list_replaces_the_default()
    {
        var policy = new PublicRedaction(["Potholes", " ", ""]);
        Assert.True(policy.IsRedacted("POTHOLES"));
        Assert.False(policy.IsRedacted("Abandoned Vehicle"));
        Assert.Single(policy.RequestTypes);
    }
}
