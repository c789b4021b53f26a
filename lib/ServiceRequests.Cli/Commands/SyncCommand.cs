using System.CommandLine;
using System.Globalization;
using System.Net;
using ServiceRequests.Geo;
using ServiceRequests.IO;
using ServiceRequests.Portal;
using ServiceRequests.SeeClickFix;
using ServiceRequests.Sync;
using Spectre.Console;

namespace ServiceRequests.Cli.Commands;

/// <summary>
/// <c>sync</c>: keeps a local store current from SeeClickFix (full load the first time, then
/// only what changed; <c>--full</c> also finds deletions), paced to the API's rate limit, with a
/// progress bar on a terminal and plain lines otherwise. Credentials only from <c>SCF_TOKEN</c>
/// or <c>SCF_USER</c>/<c>SCF_PASS</c>.
/// </summary>
internal static class SyncCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var baseUrl = new Option<string>("--base-url") { Description = "The SeeClickFix site or API root.", DefaultValueFactory = _ => "https://seeclickfix.com" };
        var place = new Option<string?>("--place") { Description = "The place's url name for the public endpoint, e.g. detroit." };
        var organization = new Option<long?>("--organization") { Description = "The organization id for the members-only endpoint (more fields; Detroit: 507). Needs credentials." };
        var outDir = new Option<string>("--out") { Description = "The store folder (private/, public/, state.json, runs.jsonl).", Required = true };
        var full = new Option<bool>("--full") { Description = "Full reconciliation: fetch everything and record issues deleted at the source." };
        var rate = new Option<double>("--requests-per-minute") { Description = "Pace of requests (the API allows 20).", DefaultValueFactory = _ => SeeClickFixOptions.DefaultRequestsPerMinute };
        var overlap = new Option<int>("--overlap") { Description = "Minutes re-read before the high-water mark on an incremental run.", DefaultValueFactory = _ => 15 };
        var details = new Option<bool>("--details") { Description = "Ask for details=true (closing comments); 20 issues per request instead of 100." };
        var redactTypes = new Option<string?>("--redact-types")
        {
            Description = "Comma-separated request types whose description, address and location stay out of the public export (default: Abandoned Vehicle, Illegal Dumping In Progress, Squatters Issue).",
        };
        var redactFile = new Option<string?>("--redact-types-file") { Description = "A file with one redacted request type per line (instead of --redact-types)." };
        var neighborhoods = new Option<string?>("--neighborhoods")
        {
            Description = "A GeoJSON file of neighborhood polygons (WGS 84 longitude/latitude), e.g. saved with arcgis --save-polygons: fills neighborhood in the public export.",
        };
        var neighborhoodField = new Option<string>("--neighborhood-field")
        {
            Description = "The property of the --neighborhoods file that names each neighborhood.",
            DefaultValueFactory = _ => "nhood_name",
        };
        var command = new Command("sync",
            $"Sync issues from SeeClickFix into a local store: the first run loads everything, later runs only what changed. Credentials: {SeeClickFixOptions.TokenVariable}, or {SeeClickFixOptions.UserVariable} and {SeeClickFixOptions.PasswordVariable}.")
        {
            baseUrl, place, organization, outDir, full, rate, overlap, details, redactTypes, redactFile, neighborhoods, neighborhoodField,
        };
        command.SetAction((parse, cancel) => CommandLine.Guard(error, async () =>
        {
            if (!Uri.TryCreate(parse.GetValue(baseUrl), UriKind.Absolute, out var baseUri))
            {
                throw new ServiceRequestsException("--base-url must be an absolute address such as https://seeclickfix.com.");
            }
            var org = parse.GetValue(organization);
            var placeName = parse.GetValue(place);
            if (org is null && string.IsNullOrWhiteSpace(placeName))
            {
                throw new ServiceRequestsException("Name the source: --place detroit (public) or --organization 507 (members only).");
            }
            if (parse.GetValue(overlap) < 0)
            {
                throw new ServiceRequestsException("--overlap must be 0 or more minutes.");
            }
            var inv = CultureInfo.InvariantCulture;
            var clientOptions = new SeeClickFixOptions
            {
                RequestsPerMinute = parse.GetValue(rate),
                Retry = CommandLine.ReportingRetries(error),
            };
            if (org is not null && !clientOptions.HasCredentials)
            {
                throw new ServiceRequestsException(
                    $"The organization endpoint needs an account: set {SeeClickFixOptions.TokenVariable}, or {SeeClickFixOptions.UserVariable} and {SeeClickFixOptions.PasswordVariable}.");
            }
            var syncOptions = new SyncOptions
            {
                Overlap = TimeSpan.FromMinutes(parse.GetValue(overlap)),
                Details = parse.GetValue(details),
                Redaction = Redaction(parse.GetValue(redactTypes), parse.GetValue(redactFile)),
                Neighborhoods = parse.GetValue(neighborhoods) is { } file
                    ? CommandLine.FromOptions(() => BoundaryLayer.Load(file, parse.GetValue(neighborhoodField)!), ("path", "--neighborhoods"), ("nameProperty", "--neighborhood-field"))
                    : null,
            };
            using var client = CommandLine.FromOptions(() => new SeeClickFixClient(baseUri, clientOptions),
                ("baseUrl", "--base-url"), ("requestsPerMinute", "--requests-per-minute"));
            var sync = CommandLine.FromOptions(() => new IssueSync(client, new IssueQuery { Place = placeName, Organization = org }, syncOptions));
            var folder = parse.GetValue(outDir)!;
            output.WriteLine($"Syncing {sync.SourceName} into {Path.GetFullPath(folder)} ({clientOptions}; redacted in public: {string.Join(", ", syncOptions.Redaction.RequestTypes)})");
            SyncReport report;
            try
            {
                report = await RunAsync(sync, folder, parse.GetValue(full), output, cancel);
            }
            catch (SeeClickFixException e) when (OptionsFor(e.StatusCode) is { } options)
            {
                throw new ServiceRequestsException($"{e.Message} (options: {options})", e);
            }
            output.WriteLine(string.Create(inv,
                $"Done ({(report.Full ? "full" : "incremental")}{(report.Resumed ? ", resumed" : "")}): {report.Pages:N0} pages, {report.Requests:N0} requests, {report.Fetched:N0} issues fetched; " +
                $"{report.Inserted:N0} inserted, {report.Updated:N0} updated, {report.Unchanged:N0} unchanged, {report.Deleted:N0} deleted; {report.Total:N0} in the store; " +
                $"high-water mark {report.Watermark:yyyy-MM-dd'T'HH:mm:ssK}; {report.Elapsed.TotalSeconds:0.0} s."));
            output.WriteLine(string.Create(inv,
                $"Places: {report.InDistrict:N0} in a council district (2026 plan), {report.OutsideDistricts:N0} outside every district (beyond the city limits, Hamtramck, Highland Park), " +
                $"{report.WithoutCoordinates:N0} without coordinates{(report.InNeighborhood is { } n ? $"; {n:N0} in a neighborhood" : "")}."));
            return 0;
        }));
        return command;
    }

    /// <summary>The options that bear on what SeeClickFix refused, for the advice the library's message gives in words.</summary>
    private static string? OptionsFor(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => "--place or --organization, --base-url",
        HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests => "--requests-per-minute",
        _ => null,
    };

    /// <summary>Runs the sync with a progress bar on a terminal, plain progress lines otherwise.</summary>
    private static async Task<SyncReport> RunAsync(IssueSync sync, string folder, bool full, TextWriter output, CancellationToken cancel)
    {
        if (!ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
        {
            return await sync.RunAsync(folder, full, new SyncLog(output), cancel);
        }
        return await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("issues");
                var bar = new Progress<SyncProgress>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Fetched + p.Remaining);
                    task.Value = p.Fetched;
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"{(p.Full ? "full" : "incremental")}: page {p.Pages:N0}, {p.Fetched:N0} issues, ETA {p.Eta:hh\\:mm\\:ss}");
                });
                return await sync.RunAsync(folder, full, bar, cancel);
            });
    }

    private static PublicRedaction Redaction(string? types, string? file)
    {
        if (types is not null && file is not null)
        {
            throw new ServiceRequestsException("Give --redact-types or --redact-types-file, not both.");
        }
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                throw new ServiceRequestsException($"No such file: '{file}' (--redact-types-file).");
            }
            return new PublicRedaction(Files.Read(file, () => File.ReadAllLines(file)).Where(l => !l.TrimStart().StartsWith('#')));
        }
        return types is null ? PublicRedaction.Default : new PublicRedaction(types.Split(','));
    }

    /// <summary>
    /// Plain progress lines (for logs and cron), written synchronously: each of the first ten
    /// pages, then every twentieth (about one a minute at the API's rate), and the last.
    /// </summary>
    private sealed class SyncLog(TextWriter output) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress p)
        {
            if (p.Pages <= 10 || p.Pages % 20 == 0 || p.Remaining == 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  page {p.Pages:N0}: {p.Fetched:N0} issues fetched, {p.Remaining:N0} to go, {p.Requests:N0} requests, elapsed {p.Elapsed:hh\\:mm\\:ss}, ETA {p.Eta:hh\\:mm\\:ss}"));
            }
        }
    }
}
