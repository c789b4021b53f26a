using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ServiceRequests.ArcGis;
using ServiceRequests.Portal;
using ServiceRequests.Socrata;

namespace ServiceRequests.Cli.Commands;

/// <summary>
/// <c>arcgis</c>: reads a FeatureServer layer into the portal shape and writes it as portal JSON, or
/// (<c>--save-polygons</c>) saves a polygon layer's areas as GeoJSON for <c>sync --neighborhoods</c> and the maps.
/// </summary>
internal static class ArcGisCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var layer = new Option<string>("--layer")
        {
            Description = "The layer address, e.g. https://…/improve_detroit/FeatureServer/0 (token from ARCGIS_TOKEN, never in the address).",
            Required = true,
        };
        var where = new Option<string>("--where") { Description = "ArcGIS SQL where clause.", DefaultValueFactory = _ => FeatureQuery.Everything };
        var since = new Option<DateTime?>("--updated-since") { Description = "Only features updated at or after this Detroit local time (yyyy-MM-ddTHH:mm)." };
        var pageSize = new Option<int?>("--page-size") { Description = "Features per request (default and most: the layer's maxRecordCount)." };
        var outPath = new Option<string?>("--out") { Description = "Output file: portal JSON, gzip-compressed when it ends in .gz." };
        var polygons = new Option<string?>("--save-polygons")
        {
            Description = "Instead of issues, save a polygon layer's areas (neighborhoods, council districts) to this GeoJSON file, in WGS 84 longitude/latitude.",
        };
        var nameField = new Option<string?>("--name-field") { Description = "With --save-polygons: the layer field that names each area, e.g. nhood_name or district_number." };
        var command = new Command("arcgis",
            "Read an ArcGIS FeatureServer layer (Detroit's current Improve Detroit source) into the portal shape and write it as portal JSON; or save a polygon layer as GeoJSON (--save-polygons).")
        {
            layer, where, since, pageSize, outPath, polygons, nameField,
        };
        command.SetAction((parse, cancel) => CommandLine.Guard(error, async () =>
        {
            var polygonPath = parse.GetValue(polygons);
            if ((parse.GetValue(outPath) is null) == (polygonPath is null))
            {
                throw new ServiceRequestsException("Give --out FILE (issues as portal JSON) or --save-polygons FILE (areas as GeoJSON), one of them.");
            }
            if (polygonPath is not null && string.IsNullOrWhiteSpace(parse.GetValue(nameField)))
            {
                throw new ServiceRequestsException("--save-polygons needs --name-field: the layer field that names each area (e.g. nhood_name).");
            }
            var query = CommandLine.FromOptions(() =>
            {
                var query = new FeatureQuery { Where = parse.GetValue(where)! };
                return parse.GetValue(since) is { } local ? query.UpdatedSince(CityTime.FromFloating(local)) : query;
            });
            var options = new FeatureLayerOptions
            {
                PageSize = parse.GetValue(pageSize),
                Log = output.WriteLine,
                Retry = CommandLine.ReportingRetries(error),
            };
            if (!Uri.TryCreate(parse.GetValue(layer), UriKind.RelativeOrAbsolute, out var layerUri))
            {
                throw new ServiceRequestsException($"--layer: '{parse.GetValue(layer)}' is not an address; give the layer's https://…/FeatureServer/<n> address.");
            }
            using var client = CommandLine.FromOptions(() => new FeatureLayerClient(layerUri, options), ("layer", "--layer"), ("options", "--page-size"));
            var watch = Stopwatch.StartNew();
            if (polygonPath is not null)
            {
                var saved = await client.SavePolygonsAsync(polygonPath, parse.GetValue(nameField)!, query, cancel);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Saved {saved:N0} areas from {Http.SafeUri.Of(client.Layer)} to {polygonPath} ({parse.GetValue(nameField)}) in {watch.Elapsed.TotalSeconds:F1} s."));
                return 0;
            }
            var frame = await client.LoadAsync(query, cancel);
            var path = parse.GetValue(outPath)!;
            PortalJson.WriteFile(frame, path);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {frame.Rows.Count:N0} issues from {Http.SafeUri.Of(client.Layer)} to {path} in {watch.Elapsed.TotalSeconds:F1} s."));
            return 0;
        }));
        return command;
    }
}
