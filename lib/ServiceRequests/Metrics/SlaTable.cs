using System.Globalization;
using CsvHelper;
using ServiceRequests.IO;

namespace ServiceRequests.Metrics;

/// <summary>
/// Service level agreements per request type, with the responsible department: the CSV
/// <c>data/sla.csv</c> (<c>request_type_title,department,sla_days</c>; empty <c>sla_days</c>
/// means no SLA). Cities set SLAs per type; replace the file with your own.
/// </summary>
public sealed class SlaTable
{
    /// <summary>The bundled table's path relative to the repository root.</summary>
    public const string DefaultRelativePath = "data/sla.csv";

    private readonly Dictionary<string, SlaEntry> _byType;

    /// <summary>Creates a table from entries.</summary>
    /// <exception cref="ArgumentException">A request type appears twice.</exception>
    public SlaTable(IEnumerable<SlaEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];
        _byType = new Dictionary<string, SlaEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in Entries)
        {
            if (!_byType.TryAdd(entry.RequestType.Trim(), entry))
            {
                throw new ArgumentException($"Request type '{entry.RequestType}' appears twice in the SLA table.", nameof(entries));
            }
        }
    }

    /// <summary>All entries, in file order.</summary>
    public IReadOnlyList<SlaEntry> Entries { get; }

    /// <summary>The entry of <paramref name="requestType"/> (case-insensitive), or null when the type is not in the table.</summary>
    public SlaEntry? Find(string? requestType) =>
        requestType is not null && _byType.TryGetValue(requestType.Trim(), out var entry) ? entry : null;

    /// <summary>Reads an SLA CSV file.</summary>
    /// <exception cref="ServiceRequestsException">The file is not there or cannot be read, or a header or value is wrong; the message names the file, line and column.</exception>
    public static SlaTable Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new ServiceRequestsException($"No SLA table at '{Path.GetFullPath(path)}'.");
        }
        return Parse(Files.Read(path, () => File.ReadAllText(path)), path);
    }

    /// <summary>
    /// Reads the bundled table (<see cref="DefaultRelativePath"/>), found in the data folder that
    /// holds the bundled sample (<see cref="BundledData"/>): from the repository root,
    /// <c>notebooks/</c> or a build output alike.
    /// </summary>
    /// <exception cref="ServiceRequestsException">The repository's data folder or its <c>sla.csv</c> is not there.</exception>
    public static SlaTable LoadBundled() =>
        Load(BundledData.Find(Path.GetFileName(DefaultRelativePath)));

    /// <summary>Parses SLA CSV text.</summary>
    /// <param name="csv">The CSV text, with header <c>request_type_title,department,sla_days</c>.</param>
    /// <param name="source">Names the input in error messages.</param>
    /// <exception cref="ServiceRequestsException">A header or value is wrong; the message names the source, line and column.</exception>
    public static SlaTable Parse(string csv, string source = "SLA table")
    {
        ArgumentNullException.ThrowIfNull(csv);
        using var reader = CsvReader.FromText(csv, new CsvReaderOptions { Separator = ',', TrackLineNumbers = true });
        var entries = new List<SlaEntry>();
        int type = -1, department = -1, days = -1;
        var line = 1;
        var header = true;
        while (reader.Read())
        {
            line++;
            if (header)
            {
                header = false;
                if (!reader.TryGetFieldIndex("request_type_title", out type) || !reader.TryGetFieldIndex("sla_days", out days))
                {
                    throw new ServiceRequestsException($"{source}: the header must name the columns request_type_title and sla_days (and optionally department).");
                }
                reader.TryGetFieldIndex("department", out department);
            }
            var title = reader.GetStringOrNull(type)?.Trim();
            if (string.IsNullOrEmpty(title))
            {
                throw new ServiceRequestsException($"{source}, line {line}: request_type_title is empty.");
            }
            var daysText = reader.GetStringOrNull(days)?.Trim();
            double? sla = null;
            if (!string.IsNullOrEmpty(daysText))
            {
                if (!double.TryParse(daysText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || !double.IsFinite(value))
                {
                    throw new ServiceRequestsException($"{source}, line {line}, column sla_days: '{daysText}' is not a number of days (0 or more).");
                }
                sla = value;
            }
            var dept = department >= 0 ? reader.GetStringOrNull(department)?.Trim() : null;
            entries.Add(new SlaEntry(title, string.IsNullOrEmpty(dept) ? null : dept, sla));
        }
        if (header)
        {
            throw new ServiceRequestsException($"{source}: the file is empty; expected a header request_type_title,department,sla_days.");
        }
        try
        {
            return new SlaTable(entries);
        }
        catch (ArgumentException e)
        {
            throw new ServiceRequestsException($"{source}: {e.Message}", e);
        }
    }
}
