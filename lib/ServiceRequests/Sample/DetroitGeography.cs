using ServiceRequests.Geo;

namespace ServiceRequests.Sample;

/// <summary>
/// A synthetic geography of Detroit for the sample: the seven council districts of the 2026 plan
/// (<see cref="BoundaryLayer.CouncilDistricts2026"/>), each with a centre its issues cluster
/// around, real neighborhood names placed in the district that holds them, and real street names.
/// Every generated point lies inside its district's polygon; the neighborhoods are named points,
/// not the city's neighborhood boundaries.
/// </summary>
internal static class DetroitGeography
{
    /// <summary>Draws of a point near the centre before falling back to a uniform draw in the district's bounding box.</summary>
    private const int NearCentreTries = 50;

    /// <summary>Per district: centre (inside it), relative volume, and neighborhoods whose centres lie in it (2026 plan).</summary>
    public static readonly District[] Districts =
    [
        new(1, 42.410, -83.245, 1.0, [("Brightmoor", 42.398, -83.262), ("Rosedale Park", 42.405, -83.228), ("Grandmont", 42.389, -83.214), ("Old Redford", 42.432, -83.259), ("North Rosedale Park", 42.416, -83.227)]),
        new(2, 42.432, -83.160, 1.0, [("Bagley", 42.428, -83.147), ("University District", 42.423, -83.139), ("Palmer Woods", 42.431, -83.121), ("Sherwood Forest", 42.436, -83.137), ("Green Acres", 42.442, -83.126)]),
        new(3, 42.425, -83.030, 1.2, [("Conant Gardens", 42.434, -83.067), ("Nolan", 42.435, -83.045), ("Regent Park", 42.432, -83.011), ("State Fair", 42.443, -83.090)]),
        new(4, 42.395, -82.960, 1.1, [("Osborn", 42.420, -82.990), ("East English Village", 42.404, -82.935), ("Morningside", 42.392, -82.945), ("Jefferson Chalmers", 42.365, -82.940), ("Cornerstone Village", 42.412, -82.948), ("Denby", 42.418, -82.950)]),
        new(5, 42.350, -83.055, 1.3, [("Boston Edison", 42.379, -83.099), ("Lafayette Park", 42.341, -83.031), ("North End", 42.375, -83.075)]),
        new(6, 42.315, -83.110, 1.0, [("Downtown", 42.331, -83.047), ("Midtown", 42.352, -83.063), ("Southwest Detroit", 42.313, -83.118), ("Mexicantown", 42.322, -83.093), ("Corktown", 42.330, -83.069), ("Delray", 42.292, -83.107), ("Springwells", 42.305, -83.130)]),
        new(7, 42.365, -83.215, 1.1, [("Warrendale", 42.345, -83.226), ("Franklin Park", 42.372, -83.235), ("Joy Community", 42.360, -83.183), ("Russell Woods", 42.387, -83.157), ("Cody Rouge", 42.353, -83.250)]),
    ];

    /// <summary>Real Detroit street names for synthetic addresses, per district (index 0 is district 1).</summary>
    public static readonly string[][] Streets =
    [
        ["Grand River Ave", "W Outer Dr", "Lahser Rd", "Telegraph Rd", "Evergreen Rd", "Fenkell Ave", "Puritan Ave", "Burt Rd"],
        ["W McNichols Rd", "W Seven Mile Rd", "Livernois Ave", "Wyoming St", "Greenfield Rd", "Puritan Ave", "Pembroke Ave"],
        ["E Seven Mile Rd", "E McNichols Rd", "Conant St", "Van Dyke Ave", "Gratiot Ave", "Hoover St", "Dequindre St"],
        ["Mack Ave", "Harper Ave", "E Warren Ave", "Kercheval Ave", "Chalmers St", "Moross Rd", "Morang Dr", "E Jefferson Ave"],
        ["Woodward Ave", "Cass Ave", "John R St", "Oakland Ave", "Longfellow St", "Chicago St", "Boston Blvd", "E Jefferson Ave"],
        ["Michigan Ave", "Vernor Hwy", "Fort St", "Springwells St", "Junction St", "Trumbull St", "W Jefferson Ave"],
        ["Joy Rd", "Plymouth Rd", "Schoolcraft St", "W Warren Ave", "Dexter Ave", "Linwood St", "Southfield Fwy Service Dr"],
    ];

    /// <summary>Whether the point, rounded to the 6 decimals the sample keeps, lies in <paramref name="district"/>'s 2026 polygon.</summary>
    public static bool Contains(District district, double lat, double lng) =>
        BoundaryLayer.CouncilDistricts2026.Locate(Math.Round(lng, 6), Math.Round(lat, 6)) == district.Name;

    /// <summary>
    /// A point of <paramref name="district"/>, drawn with <paramref name="random"/>: near its centre
    /// (a normal spread of about 1.8 km), or, when that keeps missing, anywhere in its bounding box.
    /// </summary>
    public static (double Lat, double Lng) PointIn(District district, Random random)
    {
        for (var i = 0; i < NearCentreTries; i++)
        {
            var (lat, lng) = (district.Lat + Normal(random) * 0.016, district.Lng + Normal(random) * 0.022);
            if (Contains(district, lat, lng))
            {
                return (lat, lng);
            }
        }
        var box = BoundaryLayer.CouncilDistricts2026.Features.Where(f => f.Name == district.Name).Select(f => f.Shape.EnvelopeInternal).Aggregate((a, b) => a.ExpandedBy(b));
        while (true)
        {
            var (lat, lng) = (box.MinY + random.NextDouble() * box.Height, box.MinX + random.NextDouble() * box.Width);
            if (Contains(district, lat, lng))
            {
                return (lat, lng);
            }
        }
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>The neighborhood of a district nearest to a point.</summary>
    public static string NearestNeighborhood(District district, double lat, double lng)
    {
        var best = district.Neighborhoods[0].Name;
        var bestDistance = double.MaxValue;
        foreach (var (name, nLat, nLng) in district.Neighborhoods)
        {
            var d = (nLat - lat) * (nLat - lat) + (nLng - lng) * (nLng - lng);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = name;
            }
        }
        return best;
    }

    /// <summary>A council district.</summary>
    public sealed record District(int Number, double Lat, double Lng, double Weight, (string Name, double Lat, double Lng)[] Neighborhoods)
    {
        /// <summary>The district's name in <see cref="BoundaryLayer.CouncilDistricts2026"/>.</summary>
        public string Name { get; } = Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
