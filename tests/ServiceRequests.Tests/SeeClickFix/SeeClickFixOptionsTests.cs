using ServiceRequests.SeeClickFix;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.SeeClickFix;

[Collection(EnvironmentCollection.Name)]
public class SeeClickFixOptionsTests
{
    [Fact]
    public void Credentials_come_from_the_environment_and_are_never_shown()
    {
        using (new EnvironmentVariables(("SCF_TOKEN", " tok-123-secret "), ("SCF_USER", "u"), ("SCF_PASS", "pw-456-secret")))
        {
            var options = new SeeClickFixOptions();
            Assert.Equal("tok-123-secret", options.Token);
            Assert.Equal("pw-456-secret", options.Credentials!.Password);
            Assert.Equal("20 requests/minute, credentials: token (SCF_TOKEN)", options.ToString());
        }
        using (new EnvironmentVariables(("SCF_TOKEN", null), ("SCF_USER", "u"), ("SCF_PASS", null)))
        {
            var options = new SeeClickFixOptions();
            Assert.False(options.HasCredentials);
            Assert.EndsWith("credentials: none", options.ToString());
        }
    }
}
