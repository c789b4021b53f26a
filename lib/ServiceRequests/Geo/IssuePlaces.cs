using System.Globalization;

namespace ServiceRequests.Geo;

/// <summary>
/// The council district and neighborhood of issues, from their coordinates (SeeClickFix carries
/// neither), counted as they are assigned: how many fell in a district, how many had coordinates
/// outside every district (the enclaved cities of Hamtramck and Highland Park, the river, beyond
/// the city limits), how many had no coordinates, and how many fell in a neighborhood.
/// </summary>
internal sealed class IssuePlaces
{
    private readonly BoundaryLayer _districts;
    private readonly BoundaryLayer? _neighborhoods;
    private readonly Dictionary<string, int> _districtNumbers;

    /// <summary>Assigns districts from <paramref name="districts"/> and, when given, neighborhoods from <paramref name="neighborhoods"/>.</summary>
    /// <exception cref="ArgumentException">A district's name is not a whole number (the portal's <c>council_district</c> is one).</exception>
    public IssuePlaces(BoundaryLayer districts, BoundaryLayer? neighborhoods = null)
    {
        _districts = districts ?? throw new ArgumentNullException(nameof(districts));
        _neighborhoods = neighborhoods;
        _districtNumbers = [];
        foreach (var name in districts.Names)
        {
            _districtNumbers[name] = int.TryParse(name, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
                ? number
                : throw new ArgumentException($"{districts.Source}: the district '{name}' ({districts.NameProperty}) is not a number; council_district holds numbers.", nameof(districts));
        }
    }

    /// <summary>Issues placed in a district.</summary>
    public long InDistrict { get; private set; }

    /// <summary>Issues with coordinates in no district.</summary>
    public long OutsideDistricts { get; private set; }

    /// <summary>Issues without coordinates.</summary>
    public long WithoutCoordinates { get; private set; }

    /// <summary>Issues placed in a neighborhood (0 without a neighborhoods layer).</summary>
    public long InNeighborhood { get; private set; }

    /// <summary>Whether neighborhoods are assigned.</summary>
    public bool HasNeighborhoods => _neighborhoods is not null;

    /// <summary>The district and neighborhood of a point (nulls without coordinates or outside), counted.</summary>
    public (int? District, string? Neighborhood) Of(double? latitude, double? longitude)
    {
        if (latitude is not { } lat || longitude is not { } lng)
        {
            WithoutCoordinates++;
            return (null, null);
        }
        int? district = _districts.Locate(lng, lat) is { } name ? _districtNumbers[name] : null;
        if (district is null)
        {
            OutsideDistricts++;
        }
        else
        {
            InDistrict++;
        }
        var neighborhood = _neighborhoods?.Locate(lng, lat);
        if (neighborhood is not null)
        {
            InNeighborhood++;
        }
        return (district, neighborhood);
    }

    /// <summary>Starts the counts again (each save assigns the whole store).</summary>
    public void Reset() => InDistrict = OutsideDistricts = WithoutCoordinates = InNeighborhood = 0;
}
