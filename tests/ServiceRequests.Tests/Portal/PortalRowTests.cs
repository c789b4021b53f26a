using System.Globalization;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Tests.Portal;

public class PortalRowTests
{
    private static ServiceRequest Issue(string type) => new()
    {
        Id = 42,
        Status = IssueStatus.Closed,
        Description = "plate # ABC1234",
        Address = "100 Main St",
        Lat = 42.3,
        Lng = -83.0,
        // Created before the fall-back change, closed after it: 26 h 30 min elapsed.
        CreatedAt = DateTimeOffset.Parse("2025-11-01T12:00:00-04:00", CultureInfo.InvariantCulture),
        ClosedAt = DateTimeOffset.Parse("2025-11-02T13:30:00-05:00", CultureInfo.InvariantCulture),
        UpdatedAt = DateTimeOffset.Parse("2025-11-02T13:30:00-05:00", CultureInfo.InvariantCulture),
        Reporter = new Person(1, "Jane Reporter", "Registered User", "jane@example.com", "313-555-0100"),
        Questions = [new QuestionAnswer("License plate?", "ABC1234")],
        RequestType = new RequestTypeRef(1, type),
    };

    [Fact]
    public void Days_to_close_is_elapsed_time_and_timestamps_are_floating_local()
    {
        var row = PortalRow.From(Issue("Potholes"));
        Assert.Equal(26.5 / 24, row.DaysToClose!.Value, 12);
        Assert.Equal(new DateTime(2025, 11, 1, 12, 0, 0), row.CreatedAt);
        Assert.Equal(new DateTime(2025, 11, 2, 13, 30, 0), row.ClosedAt);
        Assert.Equal("https://seeclickfix.com/issues/42", row.WebUrl);
        Assert.Equal("Closed", row.Status);
    }

    [Fact]
    public void Redacted_types_lose_description_address_and_location()
    {
        var row = PortalRow.From(Issue("Abandoned Vehicle"), neighborhood: "Midtown", councilDistrict: 5);
        Assert.Null(row.Description);
        Assert.Null(row.Address);
        Assert.Null(row.Latitude);
        Assert.Null(row.Longitude);
        Assert.Equal("Midtown", row.Neighborhood);
        Assert.Equal(5, row.CouncilDistrict);

        var kept = PortalRow.From(Issue("Potholes"));
        Assert.Equal("100 Main St", kept.Address);
        Assert.Equal(42.3, kept.Latitude);
    }

    [Fact]
    public void No_personal_field_reaches_the_public_row()
    {
        var text = PortalRow.From(Issue("Potholes")).ToString();
        Assert.DoesNotContain("Jane", text);
        Assert.DoesNotContain("jane@example.com", text);
        Assert.DoesNotContain("313-555", text);
    }
}
