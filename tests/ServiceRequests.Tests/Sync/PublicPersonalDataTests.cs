using System.Text.Json;
using System.Text.RegularExpressions;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix.Model;
using ServiceRequests.Sync;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Sync;

/// <summary>Personal data written into free text by residents stays out of the public table.</summary>
public class PublicPersonalDataTests
{
    private static readonly string[] Emails = ["Jane.Doe{0}@Example.com", "JOHN_SMITH+311@mail.detroit.org", "r{0}@b.co", "Mixed.Case{0}@GMAIL.COM"];
    private static readonly string[] Phones =
        ["313-555-{0:D4}", "(313) 555-{0:D4}", "313.555.{0:D4}", "+1 313 555 {0:D4}", "1-800-555-{0:D4}", "313555{0:D4}", "(313)555-{0:D4}", "313 555 {0:D4} ext. 12"];
    private static readonly string[] Ssns = ["123-45-{0:D4}", "987 65 {0:D4}", "SSN 123 45 {0:D4}", "ssn: 55566{0:D4}"];

    /// <summary>What is planted in row <paramref name="i"/>: an e-mail, a phone, an SSN-like number or the reporter's own name (as written, upper, lower, last name first).</summary>
    private static (string Kind, string Secret) Plant(int i, ServiceRequest issue)
    {
        var n = i / 2;
        var name = issue.Reporter!.Name!;
        var parts = name.Split(' ');
        return (n % 4) switch
        {
            0 => ("email", string.Format(System.Globalization.CultureInfo.InvariantCulture, Emails[n / 4 % Emails.Length], n)),
            1 => ("phone", string.Format(System.Globalization.CultureInfo.InvariantCulture, Phones[n / 4 % Phones.Length], n % 10_000)),
            2 => ("ssn", string.Format(System.Globalization.CultureInfo.InvariantCulture, Ssns[n / 4 % Ssns.Length], n % 10_000)),
            _ => ("name", (n / 4 % 4) switch { 0 => name, 1 => name.ToUpperInvariant(), 2 => name.ToLowerInvariant(), _ => $"{parts[^1]}, {parts[0]}" }),
        };
    }

    [Fact]
    public async Task Two_thousand_rows_with_every_kind_of_personal_data_at_every_place_reach_the_public_table_without_it()
    {
        var issues = FakeSeeClickFix.Generate(2_000, seed: 17).ToList();
        var planted = new Dictionary<long, (string Kind, string Secret, string Field)>();
        for (var i = 0; i < issues.Count; i += 2)
        {
            var issue = issues[i];
            var (kind, secret) = Plant(i, issue);
            var around = issue.Description ?? "Pothole";
            var text = (i / 8 % 3) switch
            {
                0 => secret + " " + around,
                1 => "Please call " + secret + ", about this.\nThanks",
                _ => around + " " + secret,
            };
            issues[i] = i % 14 == 0 ? issue with { Address = $"{secret} 100 Main St" } : issue with { Description = text };
            planted[issue.Id] = (kind, secret, i % 14 == 0 ? "address" : "description");
        }
        await using var h = await SyncHarness.StartAsync(issues);
        await h.RunAsync();

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(h.Store, StoreLayout.PublicJson)));
        var rows = json.RootElement.EnumerateArray().ToDictionary(r => long.Parse(r.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        var csvRows = IssueCsv.Read(Path.Combine(h.Store, StoreLayout.PublicTable), IssueCsv.PublicColumns, IssueCsv.PublicText)
            .ToDictionary(r => long.Parse(r[0]!, System.Globalization.CultureInfo.InvariantCulture), r => string.Join(',', r));
        Assert.Equal(2_000, rows.Count);
        var leaks = new List<string>();
        foreach (var (id, (kind, secret, field)) in planted)
        {
            var value = rows[id].TryGetProperty(field, out var v) ? v.GetString() ?? "" : "";
            var digits = new string([.. secret.Where(char.IsAsciiDigit)]);
            if (value.Contains(secret, StringComparison.OrdinalIgnoreCase)
                || (kind is "phone" or "ssn" && new string([.. value.Where(char.IsAsciiDigit)]).Contains(digits[^7..], StringComparison.Ordinal))
                || (kind == "name" && secret.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Any(p => Regex.IsMatch(value, $@"\b{Regex.Escape(p)}\b", RegexOptions.IgnoreCase))))
            {
                leaks.Add($"{id} ({kind} in {field}): {value}");
            }
            if (csvRows.TryGetValue(id, out var line) && line.Contains(secret, StringComparison.OrdinalIgnoreCase))
            {
                leaks.Add($"{id} ({kind} in the CSV): {line}");
            }
        }
        Assert.True(leaks.Count == 0, $"{leaks.Count} of {planted.Count} planted values reached the public table, e.g.\n{string.Join('\n', leaks.Take(10))}");

        // Rows without personal data keep their text as it was, and the private table keeps everything.
        var truth = h.Fake.Truth();
        foreach (var (id, row) in rows.Where(r => !planted.ContainsKey(r.Key) && !PublicRedaction.Default.IsRedacted(truth[r.Key].RequestType?.Title)))
        {
            Assert.Equal(truth[id].Description, row.TryGetProperty("description", out var d) ? d.GetString() : null);
        }
        h.AssertEqualsTruth();
    }
}
