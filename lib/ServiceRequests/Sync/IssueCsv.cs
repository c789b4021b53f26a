using System.Globalization;
using CsvHelper;
using ServiceRequests.IO;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix;

namespace ServiceRequests.Sync;

/// <summary>
/// The store's CSV files (CsvHelper, UTF-8 without byte-order mark, RFC 4180, CRLF). Text fields
/// that a spreadsheet would run as a formula (starting with <c>= + - @</c>, tab or CR) are written
/// with a leading <c>'</c>; a text field that itself starts with <c>'</c> gets a second one, so
/// reading strips exactly one and every value comes back as it was. Numbers and timestamps are
/// never escaped (<c>-83.04</c> stays a number).
/// </summary>
internal static class IssueCsv
{
    private const char Quote = '\'';

    /// <summary>Which private columns hold text (the others hold numbers or timestamps).</summary>
    public static bool[] PrivateTextColumns { get; } = FlatIssue.IsText(FlatIssue.PrivateColumns);

    /// <summary>The public CSV's columns: the portal's, in order.</summary>
    public static IReadOnlyList<string> PublicColumns { get; } = [.. PortalSchema.Columns.Select(c => c.Name)];

    /// <summary>Which public columns hold text.</summary>
    public static bool[] PublicText { get; } = [.. PortalSchema.Columns.Select(c => c.SocrataType == "text")];

    /// <summary>Writes rows of values under <paramref name="header"/>; <paramref name="isText"/> says which columns may need escaping.</summary>
    public static void Write(Stream stream, IReadOnlyList<string> header, bool[] isText, IEnumerable<string?[]> rows)
    {
        using var csv = CsvWriter.Create(stream, new CsvWriterOptions { NewLine = "\r\n" }, leaveOpen: true);
        foreach (var name in header)
        {
            csv.WriteField(name);
        }
        csv.EndRecord();
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                var value = row[i];
                csv.WriteField(isText[i] && value is { Length: > 0 } && NeedsEscape(value[0]) ? Quote + value : value);
            }
            csv.EndRecord();
        }
        csv.Flush();
    }

    /// <summary>Reads a file written by <see cref="Write"/> whose header must be <paramref name="header"/>; empty fields are null.</summary>
    /// <exception cref="ServiceRequestsException">The header differs or a line is malformed; the message names the file and line.</exception>
    public static IEnumerable<string?[]> Read(string path, IReadOnlyList<string> header, bool[] isText)
    {
        using var stream = Files.Read(path, () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16));
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { Separator = ',', TrackLineNumbers = true, MalformedData = CsvMalformedDataHandling.Throw }, leaveOpen: false);
        string?[] values;
        try
        {
            csv.ReadHeader();
            if (!csv.Headers.SequenceEqual(header, StringComparer.Ordinal))
            {
                throw new ServiceRequestsException(
                    $"{path}: the header is not the expected columns ({string.Join(',', header.Take(4))},...; {header.Count} in all); " +
                    "this file was not written by the sync. Move it away, or sync into the store's own folder.");
            }
        }
        catch (CsvFormatException e)
        {
            throw new ServiceRequestsException($"{path}: {e.Message}", e);
        }
        while (true)
        {
            try
            {
                if (!csv.Read())
                {
                    yield break;
                }
                if (csv.FieldCount != header.Count)
                {
                    throw new ServiceRequestsException($"{path}, line {csv.LineNumber}: {csv.FieldCount} fields, expected {header.Count}.");
                }
                values = new string?[header.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    var text = csv.GetString(i);
                    values[i] = text.Length == 0 ? null : isText[i] ? Unescape(text) : text;
                }
            }
            catch (CsvFormatException e)
            {
                throw new ServiceRequestsException($"{path}: {e.Message}", e);
            }
            yield return values;
        }
    }

    /// <summary>Undoes the formula escape of a text field.</summary>
    internal static string Unescape(string text) => text.Length >= 2 && text[0] == Quote && NeedsEscape(text[1]) ? text[1..] : text;

    /// <summary>Whether a text field starting with <paramref name="first"/> is written with a leading <c>'</c>.</summary>
    private static bool NeedsEscape(char first) => first is '=' or '+' or '-' or '@' or '\t' or '\r' or Quote;

    /// <summary>The public CSV values of a portal row (<c>location</c> as <c>POINT (lng lat)</c>).</summary>
    public static string?[] PublicValues(PortalRow row)
    {
        var columns = PortalSchema.Columns;
        var values = new string?[columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = columns[i].CsvText(row);
        }
        return values;
    }
}
