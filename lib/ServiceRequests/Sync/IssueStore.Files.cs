using System.Globalization;
using System.Text;
using System.Text.Json;
using ServiceRequests.Geo;
using ServiceRequests.IO;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix;
using ServiceRequests.SeeClickFix.Model;

namespace ServiceRequests.Sync;

/// <content>Reading the store's files (private table, deleted list, public ids, run log), leniently when repairing, and what a repair found.</content>
internal sealed partial class IssueStore
{
    /// <summary>Reads the private table; <paramref name="lenient"/> keeps the rows before the first damaged one.</summary>
    private static Dictionary<long, string?[]> ReadRows(string table, bool lenient, Repair found)
    {
        var rows = new Dictionary<long, string?[]>();
        if (!File.Exists(table))
        {
            return rows;
        }
        var record = 0;
        try
        {
            foreach (var values in IssueCsv.Read(table, FlatIssue.PrivateColumns, IssueCsv.PrivateTextColumns))
            {
                record++;
                if (!long.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) || !rows.TryAdd(id, values))
                {
                    throw new ServiceRequestsException($"{table}, record {record}: the id '{values[0]}' is missing, not a number or repeated. {Advice}");
                }
                if (values[UpdatedAtColumn] is not { } updated || !DateTimeOffset.TryParse(updated, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    rows.Remove(id);
                    throw new ServiceRequestsException($"{table}, record {record} (id {id}): updated_at '{values[UpdatedAtColumn]}' is not a timestamp. {Advice}");
                }
            }
        }
        catch (ServiceRequestsException e) when (lenient)
        {
            found.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"{StoreCommit.Key(StoreLayout.PrivateTable)}: kept the {rows.Count:N0} rows before the damage ({e.Message})"));
        }
        return rows;
    }

    /// <summary>Reads the deleted ids; <paramref name="lenient"/> keeps those before the first damaged line.</summary>
    private static SortedDictionary<long, string> ReadDeleted(string path, bool lenient, Repair found)
    {
        var deleted = new SortedDictionary<long, string>();
        if (!File.Exists(path))
        {
            return deleted;
        }
        try
        {
            foreach (var values in IssueCsv.Read(path, DeletedColumns, [false, false]))
            {
                if (!long.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                {
                    throw new ServiceRequestsException($"{path}: the id '{values[0]}' is not a number. {Advice}");
                }
                deleted[id] = values[1] ?? "";
            }
        }
        catch (ServiceRequestsException e) when (lenient)
        {
            found.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"{StoreCommit.Key(StoreLayout.DeletedTable)}: read up to the damage ({e.Message})"));
        }
        return deleted;
    }

    /// <summary>The ids of the public CSV as far as it can be read (for a repair of the private table).</summary>
    private static HashSet<long> PublicIds(string path)
    {
        var ids = new HashSet<long>();
        if (!File.Exists(path))
        {
            return ids;
        }
        try
        {
            foreach (var values in IssueCsv.Read(path, IssueCsv.PublicColumns, IssueCsv.PublicText))
            {
                if (long.TryParse(values[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
                {
                    ids.Add(id);
                }
            }
        }
        catch (ServiceRequestsException)
        {
            // Damaged too: the ids before the damage are what is known.
        }
        return ids;
    }

    /// <summary>Reads the run log, one JSON object per line; <paramref name="lenient"/> drops the lines that are not.</summary>
    private static void ReadRunLog(string path, bool lenient, Repair found)
    {
        if (!File.Exists(path))
        {
            return;
        }
        var text = Files.Read(path, () => File.ReadAllBytes(path));
        var lines = new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(text).Split('\n');
        var dropped = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0 && i == lines.Length - 1)
            {
                break;
            }
            if (IsJsonObject(line) && line.IndexOf('\uFFFD', StringComparison.Ordinal) < 0)
            {
                found.RunLog.Add(line);
                continue;
            }
            if (!lenient)
            {
                throw new ServiceRequestsException($"'{path}', line {i + 1}: not a JSON object (the file was damaged after the last save). {Advice}");
            }
            dropped++;
        }
        if (dropped > 0)
        {
            found.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"{StoreCommit.Key(StoreLayout.RunLogFile)}: dropped {dropped:N0} damaged lines, kept {found.RunLog.Count:N0}"));
        }
    }

    private static bool IsJsonObject(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            return json.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static int IndexOf(string column)
    {
        for (var i = 0; i < FlatIssue.PrivateColumns.Count; i++)
        {
            if (FlatIssue.PrivateColumns[i] == column)
            {
                return i;
            }
        }
        throw new InvalidOperationException($"No private column {column}.");
    }

    /// <summary>What opening found: the run log's lines, damaged files, ids known only from the public table, notes.</summary>
    private sealed class Repair
    {
        public List<string> RunLog { get; } = [];
        public HashSet<string> Damaged { get; } = new(StringComparer.Ordinal);
        public HashSet<long> Lost { get; } = [];
        public List<string> Notes { get; } = [];
    }
}
