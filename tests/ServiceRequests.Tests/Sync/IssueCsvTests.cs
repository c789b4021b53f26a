using System.Text;
using ServiceRequests.IO;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix.Model;
using ServiceRequests.Sync;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Sync;

public class IssueCsvTests
{
    [Fact]
    public void Formulas_in_text_are_neutralised_numbers_stay_numbers_and_everything_reads_back_unchanged()
    {
        using var folder = new TempFolder();
        var path = folder.File("t.csv");
        string[] header = ["id", "lng", "description"];
        bool[] isText = [false, false, true];
        var rows = new List<string?[]>
        {
            new[] { "1", "-83.04", "=HYPERLINK(\"http://x\")" },
            new[] { "2", "-5", "-5" },
            new[] { "3", null, "'=already quoted" },
            new[] { "4", "1", "'plain" },
            new[] { "5", "2", "@SUM(1)\r\nline, \"quoted\"" },
            new[] { "6", "3", "\tTab" },
            new[] { "7", "4", "Ünïcode ✓" },
        };
        AtomicFile.Write(path, s => IssueCsv.Write(s, header, isText, rows));
        var lines = File.ReadAllText(path, Encoding.UTF8);
        Assert.StartsWith("id,lng,description\r\n1,-83.04,\"'=HYPERLINK(\"\"http://x\"\")\"\r\n2,-5,'-5\r\n3,,''=already quoted\r\n4,1,''plain\r\n", lines);
        Assert.Equal(rows, IssueCsv.Read(path, header, isText).ToList());
        Assert.NotEqual(0xEF, File.ReadAllBytes(path)[0]);
    }

    [Fact]
    public void A_file_with_other_columns_is_refused_naming_the_file()
    {
        using var folder = new TempFolder();
        var path = folder.File("other.csv");
        File.WriteAllText(path, "a,b\r\n1,2\r\n");
        var error = Assert.Throws<ServiceRequestsException>(() => IssueCsv.Read(path, ["id", "x"], [false, true]).ToList());
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void A_row_with_missing_fields_names_the_line()
    {
        using var folder = new TempFolder();
        var path = folder.File("short.csv");
        File.WriteAllText(path, "id,x\r\n1,2\r\n3\r\n");
        var error = Assert.Throws<ServiceRequestsException>(() => IssueCsv.Read(path, ["id", "x"], [false, true]).ToList());
        Assert.Contains("line 3", error.Message);
    }

    [Fact]
    public void The_public_values_write_the_point_as_well_known_text()
    {
        var row = PortalRow.From(FakeIssue());
        var values = IssueCsv.PublicValues(row);
        Assert.Equal(IssueCsv.PublicColumns.Count, values.Length);
        Assert.Equal("POINT (-83.05 42.33)", values[^1]);
        Assert.Equal("2026-03-01T10:00:00.000", values[4]);
    }

    internal static ServiceRequest FakeIssue(long id = 1, string? description = "text") => new()
    {
        Id = id,
        Status = IssueStatus.Open,
        Description = description,
        Lat = 42.33,
        Lng = -83.05,
        CreatedAt = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(-5)),
        UpdatedAt = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(-5)),
        Reporter = new Person(9, "Reporter Name", "Registered User", "r@example.com", "313-555-0000"),
        RequestType = new RequestTypeRef(1, "Potholes"),
    };
}
