namespace ServiceRequests.Tests.Infrastructure;

/// <summary>A clock that reads another one (a fake server's), so a sync's "now" follows the server's time.</summary>
public sealed class ServerTime(Func<DateTimeOffset> now) : TimeProvider
{
    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => now();
}
