using Microsoft.Data.Analysis;
using ServiceRequests.IO;
using ServiceRequests.Portal;

namespace ServiceRequests.Socrata;

/// <summary>
/// A local file in the portal's shape: JSON as the portal serves it (<c>.json</c>, <c>.json.gz</c>)
/// or Parquet as the sync store and the Socrata cache keep it (<c>.parquet</c>). What loading a file
/// source and the cache's kept copy (<see cref="SocrataMirror"/>) share, so neither goes through the other.
/// </summary>
internal static class PortalFile
{
    /// <summary>Loads the <paramref name="columns"/> (frame column names; all when null) of the file at <paramref name="path"/>.</summary>
    /// <exception cref="ServiceRequestsException">
    /// The file is not there or cannot be read, or it is not portal-shaped JSON (the message names the
    /// file, and the row, field and byte) or Parquet (one line naming the file and the missing or mistyped column).
    /// </exception>
    public static DataFrame Load(string path, HashSet<string>? columns = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new ServiceRequestsException($"No such file: '{Path.GetFullPath(path)}'.");
        }
        if (IsParquet(path))
        {
            try
            {
                return PortalParquet.Read(path, columns, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Files.CannotRead(path, e);
            }
        }
        try
        {
            var specs = columns is null ? PortalSchema.FrameColumns : [.. PortalSchema.FrameColumns.Where(c => c.OutputNames.Any(columns.Contains))];
            return Narrow(SodaJsonFile.Load(path, specs), columns);
        }
        catch (InvalidDataException e)
        {
            throw new ServiceRequestsException($"{path}: not gzip-compressed ({e.Message})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Files.CannotRead(path, e);
        }
    }

    /// <summary><paramref name="frame"/> with only the <paramref name="columns"/> (all when null), in the portal shape's order.</summary>
    public static DataFrame Narrow(DataFrame frame, HashSet<string>? columns) =>
        columns is null ? frame : new DataFrame(frame.Columns.Where(c => columns.Contains(c.Name)));

    private static bool IsParquet(string path) => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);
}
