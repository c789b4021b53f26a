using System.Globalization;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Sample;

/// <content>The made-up content of an issue: its district, report method, people, texts and answers, and the random draws they use.</content>
internal static partial class SampleGenerator
{
    private static DetroitGeography.District PickDistrict(Random random)
    {
        var total = DetroitGeography.Districts.Sum(d => d.Weight);
        var x = random.NextDouble() * total;
        foreach (var d in DetroitGeography.Districts)
        {
            x -= d.Weight;
            if (x < 0)
            {
                return d;
            }
        }
        return DetroitGeography.Districts[^1];
    }

    private static (string Method, bool AgentEntered) PickReportMethod(Random random)
    {
        var x = random.NextDouble() * ReportMethods.Sum(m => m.Weight);
        foreach (var (method, weight) in ReportMethods)
        {
            x -= weight;
            if (x < 0)
            {
                return (method, method is "Phone" or "Email" or "Internal");
            }
        }
        return (ReportMethods[0].Method, false);
    }

    private static Person FakePerson(Random random, string role, bool withContact)
    {
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        var id = 100_000 + random.Next(3_000_000);
        return withContact
            ? new Person(id, $"{first} {last}", role, $"{first.ToLowerInvariant()}.{last.ToLowerInvariant()}{id % 1000}@example.com", $"313-555-{random.Next(10_000):D4}")
            : new Person(id, $"{first} {last}", role);
    }

    private static string ClosingText(Random random, RequestTypeProfile profile, long? canonical)
    {
        if (canonical is { } c)
        {
            return $"Closed as a duplicate of issue {c.ToString(CultureInfo.InvariantCulture)}.";
        }
        if (profile.Title.StartsWith("Other - ", StringComparison.Ordinal) || random.NextDouble() < 0.1)
        {
            return BeyondJurisdictionComments[random.Next(BeyondJurisdictionComments.Length)];
        }
        return CompletedComments[random.Next(CompletedComments.Length)];
    }

    private static string Plate(Random random) => $"{PlateLetters[random.Next(PlateLetters.Length)]}{random.Next(1000, 9999)}";

    private static string? Description(Random random, string title)
    {
        if (random.NextDouble() < 0.2)
        {
            return null;
        }
        return title switch
        {
            "Abandoned Vehicle" => random.NextDouble() < 0.5 ? $"Car has not moved in weeks, flat tires. Plate # {Plate(random)}" : "Abandoned car blocking the alley.",
            "Illegal Dumping In Progress" => $"Someone dumping tires from a pickup right now, plate {Plate(random)}.",
            "Squatters Issue" => "People living in the vacant house next door, coming and going at night.",
            "Potholes" => random.NextDouble() < 0.5 ? "Large pothole in the right lane." : "Several deep potholes near the intersection.",
            "Tree Issue" => "Dead tree limb hanging over the sidewalk.",
            "Illegal Dump Sites" => "Pile of mattresses and trash bags on the vacant lot.",
            "Street Light Out" or "New LED Street Light Out" => "Street light out for a week, the block is dark.",
            "Traffic Complaints" => "Cars speeding down the residential street every evening.",
            "Running Water in a Home or Building" => "Water running inside the vacant house.",
            "Water Main Break" => "Water bubbling up through the pavement.",
            _ => "Please fix, thank you.",
        };
    }

    private static IReadOnlyList<QuestionAnswer> Questions(Random random, string title) => title switch
    {
        "Abandoned Vehicle" => [new("License plate number?", Plate(random)), new("Vehicle make and color?", "Black Chevrolet Impala")],
        "Illegal Dumping In Progress" => [new("Describe the vehicle or person dumping", $"White pickup truck, plate {Plate(random)}")],
        "Squatters Issue" => [new("Is the property occupied?", "Yes"), new("Owner's name or phone, if known", $"313-555-{random.Next(10_000):D4}")],
        _ => [new("Is this a safety hazard?", random.NextDouble() < 0.3 ? "Yes" : "No")],
    };

    private static double[] Cumulative(double[] weights)
    {
        var result = new double[weights.Length];
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            sum += weights[i];
            result[i] = sum;
        }
        return result;
    }

    private static int Pick(double[] cumulative, double unit)
    {
        var x = unit * cumulative[^1];
        var index = Array.BinarySearch(cumulative, x);
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, cumulative.Length - 1);
    }

    private static double Normal(Random random) => DetroitGeography.Normal(random);

    private static double LogNormal(Random random, double median, double sigma) => median * Math.Exp(sigma * Normal(random));
}
