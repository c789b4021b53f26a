using ServiceRequests.Http;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>Retry options that record their waits instead of sleeping.</summary>
public sealed class FastRetry
{
    public List<TimeSpan> Waits { get; } = [];

    public RetryOptions Options(int attempts = 4) => new()
    {
        MaxAttempts = attempts,
        BaseDelay = TimeSpan.FromSeconds(1),
        AttemptTimeout = TimeSpan.FromSeconds(20),
        Jitter = new Random(7),
        Delay = (wait, _) =>
        {
            lock (Waits)
            {
                Waits.Add(wait);
            }
            return Task.CompletedTask;
        },
    };
}
