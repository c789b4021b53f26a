using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ServiceRequests.IO;
using ServiceRequests.Portal;

namespace ServiceRequests.Socrata;

/// <summary>What the portal confirmed for one row: the hash of the row as the export held it, and which columns had a value.</summary>
/// <param name="Hash">The first 128 bits of the SHA-256 of the row's canonical JSON (see <see cref="PublishRecord.Fingerprint"/>).</param>
/// <param name="Filled">Bit <c>i</c> set when column <c>i</c> of <see cref="PortalSchema.Columns"/> was sent with a value.</param>
internal readonly record struct PublishedRow(UInt128 Hash, int Filled);

/// <summary>
/// The record of what a store published to one dataset, so that <c>publish</c> sends only rows that
/// changed since: <c>{store}/published/{host}-{dataset}.tsv</c>, one line per id (<c>id TAB hash TAB
/// filled</c>; <c>id TAB -</c> forgets an id). It is a journal: lines are appended and flushed to disk
/// only <b>after</b> the portal confirmed a batch (so a failed or killed publish sends those rows
/// again, which is safe: an upsert is idempotent), and an id is forgotten <b>before</b> its delete is
/// sent (so a row deleted and later restored is sent again). The last line of a killed append may be
/// cut: it is ignored, and the file is rewritten whole (atomically) when loaded and after every
/// successful publish. A damaged record is discarded, which only means every row is sent again.
/// </summary>
internal sealed class PublishRecord
{
    /// <summary>The folder of the store holding the records.</summary>
    public const string Folder = "published";

    private const string Header = "# publish record: id, hash of the row as confirmed by the portal, columns sent with a value";
    private readonly Dictionary<string, PublishedRow> _rows;
    private readonly string _path;
    private int _appended;

    private PublishRecord(string path, Dictionary<string, PublishedRow> rows)
    {
        _path = path;
        _rows = rows;
    }

    /// <summary>The record's file.</summary>
    public string Path => _path;

    /// <summary>Rows the record holds.</summary>
    public int Count => _rows.Count;

    /// <summary>What the portal last confirmed for <paramref name="id"/>, if anything.</summary>
    public bool TryGet(string id, out PublishedRow row) => _rows.TryGetValue(id, out row);

    /// <summary>The record's path for <paramref name="datasetId"/> on <paramref name="portal"/> in <paramref name="storeFolder"/>.</summary>
    public static string PathFor(string storeFolder, Uri portal, string datasetId)
    {
        var host = portal.IsDefaultPort ? portal.Host : $"{portal.Host}_{portal.Port.ToString(CultureInfo.InvariantCulture)}";
        return System.IO.Path.Combine(storeFolder, Folder, $"{host}-{datasetId}.tsv");
    }

    /// <summary>
    /// Reads the record at <paramref name="path"/> (empty when there is none) to append to it: a
    /// damaged record is discarded and <paramref name="warning"/> says so; a cut last line is
    /// dropped; either way the file is rewritten at once.
    /// </summary>
    /// <exception cref="ServiceRequestsException">The file cannot be read or rewritten.</exception>
    public static PublishRecord Load(string path, out string? warning)
    {
        var record = Read(path, out warning, out var rewrite);
        if (rewrite)
        {
            record.Save();
        }
        return record;
    }

    /// <summary>Reads the record at <paramref name="path"/> as <see cref="Load"/> does, without writing anything.</summary>
    /// <exception cref="ServiceRequestsException">The file cannot be read.</exception>
    public static PublishRecord Read(string path, out string? warning) => Read(path, out warning, out _);

    private static PublishRecord Read(string path, out string? warning, out bool rewrite)
    {
        warning = null;
        rewrite = false;
        var rows = new Dictionary<string, PublishedRow>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return new PublishRecord(path, rows);
        }
        var bytes = Files.Read(path, () => File.ReadAllBytes(path));
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            warning = $"{path}: the publish record is not UTF-8 text, so it is set aside and every row is sent again.";
            rewrite = true;
            return new PublishRecord(path, rows);
        }
        var complete = text.LastIndexOf('\n') + 1;
        var number = 0;
        foreach (var line in text[..complete].Split('\n'))
        {
            number++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var parts = line.Split('\t');
            if (parts is [{ Length: > 0 } gone, "-"])
            {
                rows.Remove(gone);
            }
            else if (parts is [{ Length: > 0 } id, { Length: 32 } hash, var filled]
                && UInt128.TryParse(hash, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var h)
                && int.TryParse(filled, NumberStyles.None, CultureInfo.InvariantCulture, out var f))
            {
                rows[id] = new PublishedRow(h, f);
            }
            else
            {
                warning = $"{path}, line {number}: the publish record is damaged, so it is set aside and every row is sent again.";
                rows.Clear();
                break;
            }
        }
        rewrite = warning is not null || complete < text.Length;
        return new PublishRecord(path, rows);
    }

    /// <summary>Forgets every row (so every row is sent again); with <paramref name="write"/>, on disk too, at once.</summary>
    /// <exception cref="ServiceRequestsException">The record cannot be written.</exception>
    public void ForgetAll(bool write)
    {
        _rows.Clear();
        if (write)
        {
            Save();
        }
    }

    /// <summary>
    /// The row's fingerprint: its hash (over the portal columns it has a value for, in schema order,
    /// as canonical JSON) and which columns those are.
    /// </summary>
    public static PublishedRow Fingerprint(JsonElement row)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        var filled = 0;
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            for (var i = 0; i < PortalSchema.Columns.Count; i++)
            {
                var name = PortalSchema.Columns[i].Name;
                if (row.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null)
                {
                    filled |= 1 << i;
                    json.WritePropertyName(name);
                    value.WriteTo(json);
                }
            }
            json.WriteEndObject();
        }
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return new PublishedRow(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hash), filled);
    }

    /// <summary>Records rows the portal confirmed: appends them and flushes them to disk.</summary>
    /// <exception cref="ServiceRequestsException">The record cannot be written (the rows are sent again next time).</exception>
    public void Confirm(IEnumerable<KeyValuePair<string, PublishedRow>> rows)
    {
        var text = new StringBuilder();
        foreach (var (id, row) in rows)
        {
            _rows[id] = row;
            text.Append(id).Append('\t').Append(row.Hash.ToString("x32", CultureInfo.InvariantCulture)).Append('\t')
                .Append(row.Filled.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        Append(text);
    }

    /// <summary>Forgets <paramref name="ids"/> (before their deletes are sent): appends that and flushes it to disk.</summary>
    /// <exception cref="ServiceRequestsException">The record cannot be written.</exception>
    public void Forget(IEnumerable<string> ids)
    {
        var text = new StringBuilder();
        foreach (var id in ids)
        {
            if (_rows.Remove(id))
            {
                text.Append(id).Append("\t-\n");
            }
        }
        Append(text);
    }

    /// <summary>Rewrites the record whole (atomically) when lines were appended since it was read.</summary>
    /// <exception cref="ServiceRequestsException">The record cannot be written.</exception>
    public void Compact()
    {
        if (_appended > 0)
        {
            Save();
        }
    }

    private void Append(StringBuilder text)
    {
        if (text.Length == 0)
        {
            return;
        }
        if (!File.Exists(_path))
        {
            Save();
        }
        try
        {
            using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
            file.Write(Encoding.UTF8.GetBytes(text.ToString()));
            file.Flush(flushToDisk: true);
            _appended++;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceRequestsException($"Cannot write the publish record '{_path}': {e.Message} The rows the portal confirmed are sent again next time.", e);
        }
    }

    private void Save()
    {
        AtomicFile.Write(_path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            writer.WriteLine(Header);
            foreach (var (id, row) in _rows)
            {
                writer.Write(id);
                writer.Write('\t');
                writer.Write(row.Hash.ToString("x32", CultureInfo.InvariantCulture));
                writer.Write('\t');
                writer.WriteLine(row.Filled.ToString(CultureInfo.InvariantCulture));
            }
        });
        _appended = 0;
    }
}
