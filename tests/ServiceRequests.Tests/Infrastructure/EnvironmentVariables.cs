namespace ServiceRequests.Tests.Infrastructure;

/// <summary>Tests that set process environment variables run in this collection, alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EnvironmentCollection
{
    public const string Name = "Environment variables";
}

/// <summary>Sets environment variables for a test and restores the previous values on dispose.</summary>
public sealed class EnvironmentVariables : IDisposable
{
    private readonly Dictionary<string, string?> _previous = [];

    public EnvironmentVariables(params (string Name, string? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            _previous[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    public void Dispose()
    {
        foreach (var (name, value) in _previous)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
