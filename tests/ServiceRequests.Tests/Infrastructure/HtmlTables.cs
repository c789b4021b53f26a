using System.Net;
using System.Text.RegularExpressions;

namespace ServiceRequests.Tests.Infrastructure;

/// <summary>A table found in HTML: its headers and its rows of cell texts.</summary>
public sealed record HtmlTable(string[] Headers, string[][] Rows)
{
    /// <summary>The cell of the row whose first cell is <paramref name="key"/>, in column <paramref name="header"/>.</summary>
    public string Cell(string key, string header) => Rows.Single(r => r[0] == key)[Array.IndexOf(Headers, header)];
}

/// <summary>Reads the tables <c>ReportFormatters.TableHtml</c> writes (class <c>sr-table</c>; header breaks <c>&lt;wbr&gt;</c> removed).</summary>
public static partial class HtmlTables
{
    /// <summary>Every <c>sr-table</c> in <paramref name="html"/>, in order; the parts of a split table joined back into one.</summary>
    public static HtmlTable[] Parse(string html)
    {
        var tables = new List<HtmlTable>();
        HtmlTable? joining = null;
        foreach (Match t in Table().Matches(html))
        {
            var table = new HtmlTable(
                [.. Header().Matches(t.Value).Select(h => WebUtility.HtmlDecode(h.Groups[1].Value.Replace("<wbr>", "", StringComparison.Ordinal)))],
                [.. Row().Matches(t.Groups["body"].Value).Select(r => Cell().Matches(r.Value).Select(c => WebUtility.HtmlDecode(c.Groups[1].Value)).ToArray())]);
            var part = t.Groups["part"].Success ? t.Groups["part"].Value.Split('/').Select(int.Parse).ToArray() : null;
            if (part is null)
            {
                tables.Add(table);
                continue;
            }
            if (part[0] == 1)
            {
                joining = table;
            }
            else
            {
                // Later parts repeat the key columns (those the first part begins with and this part shares).
                var repeated = table.Headers.TakeWhile(h => joining!.Headers.Contains(h)).Count();
                joining = new HtmlTable([.. joining!.Headers, .. table.Headers.Skip(repeated)],
                    [.. joining.Rows.Select((r, i) => r.Concat(table.Rows[i].Skip(repeated)).ToArray())]);
            }
            if (part[0] == part[1])
            {
                tables.Add(joining);
            }
        }
        return [.. tables];
    }

    [GeneratedRegex("<table class=\"sr-table[^\"]*\"(?: data-part=\"(?<part>\\d+/\\d+)\")?>.*?<tbody>(?<body>.*?)</tbody></table>", RegexOptions.Singleline)]
    private static partial Regex Table();

    [GeneratedRegex("<th>(.*?)</th>")]
    private static partial Regex Header();

    [GeneratedRegex("<tr[^>]*>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<td[^>]*>(.*?)</td>")]
    private static partial Regex Cell();
}
