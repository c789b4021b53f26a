using System.Globalization;
using System.Text;
using ServiceRequests.Portal;

namespace ServiceRequests.Tests.Portal;

public class PersonalDataTests
{
    [Theory]
    [InlineData("Call me at 313-555-0142 please", "Call me at [redacted phone] please")]
    [InlineData("(313) 555-0142", "[redacted phone]")]
    [InlineData("(313)555-0142.", "[redacted phone].")]
    [InlineData("313.555.0142", "[redacted phone]")]
    [InlineData("tel 313 555 0142", "tel [redacted phone]")]
    [InlineData("3135550142", "[redacted phone]")]
    [InlineData("+1 313 555 0142 or 1-800-555-0199", "[redacted phone] or [redacted phone]")]
    [InlineData("313-555-0142 ext. 12, 313-555-0143x9", "[redacted phone], [redacted phone]")]
    [InlineData("call 555-0142", "call [redacted phone]")]
    [InlineData("Mail JANE.Doe@Example.COM or jd+311@mail.detroit.org.", "Mail [redacted email] or [redacted email].")]
    [InlineData("jane [at] example [dot] com", "[redacted email]")]
    [InlineData("SSN 123-45-6789", "SSN [redacted ssn]")]
    [InlineData("my ssn: 123456789", "my ssn: [redacted ssn]")]
    [InlineData("Social Security Number 987654321", "Social Security Number [redacted ssn]")]
    [InlineData("123 45 6789", "[redacted ssn]")]
    public void Contact_details_and_ssn_like_numbers_become_tokens(string text, string expected) =>
        Assert.Equal(expected, PersonalData.Redact(text, null));

    [Theory]
    [InlineData("Reported by John Smith, thanks", "Reported by [redacted name], thanks")]
    [InlineData("JOHN SMITH lives here", "[redacted name] lives here")]
    [InlineData("smith, john called", "[redacted name] called")]
    [InlineData("Smith John called, then smith", "[redacted name] called, then [redacted name]")]
    [InlineData("Ask Mr. Smith", "Ask Mr. [redacted name]")]
    [InlineData("Smithson and Johnny are not him", "Smithson and Johnny are not him")]
    public void The_reporters_name_whole_or_in_parts_any_case_at_word_boundaries_becomes_a_token(string text, string expected) =>
        Assert.Equal(expected, PersonalData.Redact(text, "John Smith"));

    [Theory]
    [InlineData("8099 John R St, Detroit, MI", "8099 John R St, Detroit, MI")]
    [InlineData("Smith Ave near John Smith's house", "Smith Ave near [redacted name]'s house")]
    [InlineData("SMITH, JOHN 100 Main St", "[redacted name] 100 Main St")]
    [InlineData("john  smith, 313-555-0142, 100 Main St", "[redacted name], [redacted phone], 100 Main St")]
    public void In_an_address_only_the_whole_name_is_redacted_so_a_street_named_like_a_part_of_it_stays(string address, string expected) =>
        Assert.Equal(expected, PersonalData.Redact(address, "John Smith", nameParts: false));

    [Theory]
    [InlineData("Pothole at 19400 W 7 Mile Rd, Detroit, MI 48219")]
    [InlineData("Since 2026-03-02 10:30, about 3 feet deep; $1,200 damage")]
    [InlineData("Plate # ABC1234, the 1400-1500 block of Woodward, I-94 exit 215")]
    [InlineData("Location 42.331427, -83.045754; issue 17000008 duplicates 17000009")]
    [InlineData("Lights out (at the corner) [see photo] {2 poles}")]
    [InlineData("")]
    public void Ordinary_text_with_numbers_stays_as_it_is(string text) =>
        Assert.Equal(text, PersonalData.Redact(text, "Grace Young"));

    [Fact]
    public void Null_stays_null_and_a_short_name_is_caught_only_whole()
    {
        Assert.Null(PersonalData.Redact(null, "John Smith"));
        Assert.Equal("[redacted name] said Al and Li", PersonalData.Redact("Al Li said Al and Li", "Al Li"));
    }

    [Fact]
    public void Fuzz_planted_personal_data_never_survives_and_redacting_twice_changes_nothing()
    {
        var random = new Random(2026);
        string[] words = ["pothole", "at", "the", "corner", "(at)", "[dot]", "Mile", "Rd.", "x", "ext", "SSN", "no.", "#", "-", "--", "@", "ünïcødé", "✓", "\t", "\n", "'", "\"", ",", "1-", "+", "()"];
        string[] first = ["Grace", "Tyrone", "Fatima", "Marcus", "José", "Mary-Jane", "O'Neil"];
        string[] last = ["Young", "Hassan", "Nguyen", "Robinson", "King", "De La Cruz"];
        var survived = new List<string>();
        for (var round = 0; round < 3_000; round++)
        {
            var name = $"{first[random.Next(first.Length)]} {last[random.Next(last.Length)]}";
            var planted = new List<string>();
            var text = new StringBuilder();
            for (int i = 0, n = 1 + random.Next(12); i < n; i++)
            {
                text.Append(' ');
                switch (random.Next(8))
                {
                    case 0:
                        planted.Add(Email(random));
                        text.Append(planted[^1]);
                        break;
                    case 1:
                        planted.Add(Phone(random));
                        text.Append(planted[^1]);
                        break;
                    case 2:
                        planted.Add(Ssn(random));
                        text.Append(planted[^1]);
                        break;
                    case 3:
                        planted.Add(Cased(random, random.Next(2) == 0 ? name : name.Split(' ')[^1]));
                        text.Append(planted[^1]);
                        break;
                    case 4:
                        text.Append(random.Next(1_000_000).ToString(CultureInfo.InvariantCulture));
                        break;
                    case 5:
                        text.Append((char)random.Next(0x20, 0x3000));
                        break;
                    default:
                        text.Append(words[random.Next(words.Length)]);
                        break;
                }
                text.Append(' ');
            }
            var input = text.ToString();
            var once = PersonalData.Redact(input, name)!;
            Assert.Equal(once, PersonalData.Redact(once, name));
            foreach (var value in planted.Where(v => once.Contains(v, StringComparison.OrdinalIgnoreCase)))
            {
                survived.Add($"'{value}' in '{once}'");
            }
        }
        Assert.True(survived.Count == 0, $"{survived.Count} planted values survived, e.g.\n{string.Join('\n', survived.Take(10))}");
    }

    private static string Email(Random r) =>
        $"{Pick(r, "jane.doe", "J_Smith+311", "x", "a.b-c")}{r.Next(100)}{Pick(r, "@", " [at] ", "(at)")}{Pick(r, "example", "mail.detroit", "GMAIL")}{Pick(r, ".com", ".org", " [dot] net", ".CO")}";

    private static string Phone(Random r)
    {
        var (a, b, c) = (r.Next(200, 1000), r.Next(200, 1000), r.Next(10_000));
        var inv = CultureInfo.InvariantCulture;
        return r.Next(8) switch
        {
            0 => string.Create(inv, $"{a}-{b}-{c:D4}"),
            1 => string.Create(inv, $"({a}) {b}-{c:D4}"),
            2 => string.Create(inv, $"({a}){b}-{c:D4}"),
            3 => string.Create(inv, $"{a}.{b}.{c:D4}"),
            4 => string.Create(inv, $"{a} {b} {c:D4}"),
            5 => string.Create(inv, $"+1 {a} {b} {c:D4}"),
            6 => string.Create(inv, $"1-{a}-{b}-{c:D4} ext. {r.Next(1, 999)}"),
            _ => string.Create(inv, $"{a}{b}{c:D4}"),
        };
    }

    private static string Ssn(Random r)
    {
        var (a, b, c) = (r.Next(100, 1000), r.Next(10, 100), r.Next(10_000));
        var inv = CultureInfo.InvariantCulture;
        return r.Next(3) switch
        {
            0 => string.Create(inv, $"{a}-{b}-{c:D4}"),
            1 => string.Create(inv, $"{a} {b} {c:D4}"),
            _ => string.Create(inv, $"SSN: {a}{b}{c:D4}"),
        };
    }

    private static string Cased(Random r, string text) => r.Next(3) switch
    {
        0 => text,
        1 => text.ToUpperInvariant(),
        _ => text.ToLowerInvariant(),
    };

    private static string Pick(Random r, params string[] choices) => choices[r.Next(choices.Length)];
}
