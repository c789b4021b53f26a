using ServiceRequests.Http;
using ServiceRequests.IO;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.IO;

[Collection(EnvironmentCollection.Name)]
public class EnvironmentSecretsTests
{
    private const string User = "SR_TEST_SECRET_USER";
    private const string Password = "SR_TEST_SECRET_PASSWORD";

    [Fact]
    public void Unset_and_empty_variables_are_null_and_pasted_spaces_are_dropped()
    {
        using var _ = new EnvironmentVariables((User, null), (Password, ""));
        Assert.Null(EnvironmentSecrets.Read(User));
        Assert.Null(EnvironmentSecrets.Read(Password));

        using var __ = new EnvironmentVariables((User, "  token-1 \n"));
        Assert.Equal("token-1", EnvironmentSecrets.Read(User));
    }

    [Fact]
    public void An_account_needs_both_variables()
    {
        using (new EnvironmentVariables((User, "publisher"), (Password, null)))
        {
            Assert.Null(EnvironmentSecrets.Account(User, Password));
        }
        using (new EnvironmentVariables((User, "publisher"), (Password, " s3cret ")))
        {
            var account = EnvironmentSecrets.Account(User, Password);
            Assert.NotNull(account);
            Assert.Equal("publisher", account.UserName);
            Assert.Equal("s3cret", account.Password);
        }
    }
}
