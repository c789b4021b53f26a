namespace ServiceRequests.Portal;

/// <summary>
/// Request types whose description, address and location are left out of the public table
/// because they expose people (a parked car's owner, a squatter, a neighbour dumping), as the
/// city's own pipeline does. Matching is by request type title, case-insensitive.
/// </summary>
internal sealed class PublicRedaction
{
    private readonly HashSet<string> _types;

    /// <summary>Creates a policy that redacts <paramref name="requestTypes"/>.</summary>
    public PublicRedaction(IEnumerable<string> requestTypes)
    {
        ArgumentNullException.ThrowIfNull(requestTypes);
        _types = new HashSet<string>(requestTypes.Select(t => t.Trim()).Where(t => t.Length > 0), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The city's default list: Abandoned Vehicle, Illegal Dumping In Progress, Squatters Issue.</summary>
    public static PublicRedaction Default { get; } = new(["Abandoned Vehicle", "Illegal Dumping In Progress", "Squatters Issue"]);

    /// <summary>The redacted request type titles.</summary>
    public IReadOnlyCollection<string> RequestTypes => _types;

    /// <summary>True when issues of <paramref name="requestTypeTitle"/> lose description, address and location.</summary>
    public bool IsRedacted(string? requestTypeTitle) => requestTypeTitle is not null && _types.Contains(requestTypeTitle.Trim());
}
