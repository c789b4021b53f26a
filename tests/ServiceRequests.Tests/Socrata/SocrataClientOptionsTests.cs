using ServiceRequests.Socrata;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Socrata;

[Collection(EnvironmentCollection.Name)]
public class SocrataClientOptionsTests
{
    [Fact]
    public void Secrets_come_from_the_environment_and_are_never_printed()
    {
        using var _ = new EnvironmentVariables(
            (SocrataClientOptions.AppTokenVariable, " token-abc-123 "),
            (SocrataClientOptions.UsernameVariable, "publisher@example.org"),
            (SocrataClientOptions.PasswordVariable, "hunter2-secret"));

        var options = new SocrataClientOptions();

        Assert.Equal("token-abc-123", options.AppToken);
        Assert.Equal("publisher@example.org", options.Credentials!.UserName);
        Assert.Equal("hunter2-secret", options.Credentials.Password);
        Assert.Equal("page size 50,000, app token set, credentials set", options.ToString());
        Assert.DoesNotContain("hunter2", options.Credentials.ToString());
    }

    [Fact]
    public void Without_the_variables_nothing_is_set()
    {
        using var _ = new EnvironmentVariables(
            (SocrataClientOptions.AppTokenVariable, ""),
            (SocrataClientOptions.UsernameVariable, "someone"),
            (SocrataClientOptions.PasswordVariable, null));

        var options = new SocrataClientOptions();

        Assert.Null(options.AppToken);
        Assert.Null(options.Credentials); // a user name alone is not an account
        Assert.Equal("page size 50,000, app token not set, credentials not set", options.ToString());
    }
}
