using System.CommandLine;
using System.Globalization;
using ServiceRequests.Socrata;
using ServiceRequests.Sync;

namespace ServiceRequests.Cli.Commands;

/// <summary>
/// <c>publish</c>: upserts the sync store's public export to a Socrata dataset in batches and
/// deletes the ids it lists as deleted, showing the portal's report per batch. Credentials come
/// only from <c>SOCRATA_USERNAME</c> / <c>SOCRATA_PASSWORD</c> (and <c>SOCRATA_APP_TOKEN</c>).
/// </summary>
internal static class PublishCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var portal = new Option<string>("--portal")
        {
            Description = "The portal's address, e.g. https://data.detroitmi.gov.",
            Required = true,
        };
        var dataset = new Option<string>("--dataset") { Description = "The dataset's 4x4 id, e.g. fjru-bz8m (its row identifier must be 'id').", Required = true };
        var from = new Option<string>("--from")
        {
            Description = $"The sync store folder; its {StoreLayout.PublicFolder}/{StoreLayout.PublicJsonFileName} and {StoreLayout.PublicFolder}/{StoreLayout.DeletedFileName} are published (never its private table).",
            Required = true,
        };
        var batchSize = new Option<int>("--batch-size") { Description = "Rows per upsert request (1 to 50,000).", DefaultValueFactory = _ => 10_000 };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check the export and show the batches without sending anything (no credentials needed)." };
        var resendAll = new Option<bool>("--resend-all")
        {
            Description = $"Send every row, not only those changed since the portal last confirmed them (after the dataset was emptied or replaced on the portal); the record is the store's {PublishRecord.Folder}/ folder.",
        };
        var timeout = CommandLine.TimeoutOption();
        var deadline = CommandLine.DeadlineOption();
        var command = new Command("publish",
            $"Publish the public export to a Socrata dataset (upsert by id, then deletes). Credentials: {SocrataClientOptions.UsernameVariable}, {SocrataClientOptions.PasswordVariable}; optional {SocrataClientOptions.AppTokenVariable}.")
        {
            portal, dataset, from, batchSize, dryRun, resendAll, timeout, deadline,
        };
        command.SetAction((parse, interrupt) => CommandLine.Guard(error, parse.GetValue(deadline),
            "The batches the portal confirmed are kept; run the publish again to send the rest.", async cancel =>
        {
            if (!Uri.TryCreate(parse.GetValue(portal), UriKind.Absolute, out var portalUri))
            {
                throw new ServiceRequestsException("--portal must be an absolute address such as https://data.detroitmi.gov.");
            }
            var inv = CultureInfo.InvariantCulture;
            var options = new SocrataClientOptions
            {
                Retry = CommandLine.ReportingRetries(error, parse.GetValue(timeout)),
            };
            using var client = CommandLine.FromOptions(() => new SocrataClient(portalUri, options), ("portal", "--portal"));
            var publisher = CommandLine.FromOptions(() => new PortalPublisher(client, parse.GetValue(dataset)!) { BatchSize = parse.GetValue(batchSize) },
                ("datasetId", "--dataset"), ("value", "--batch-size"));
            var dry = parse.GetValue(dryRun);
            output.WriteLine($"{(dry ? "Dry run: nothing is sent. " : "")}Publishing {parse.GetValue(from)} to {client.ResourceUri(parse.GetValue(dataset)!)} ({options})");
            var report = await publisher.PublishAsync(parse.GetValue(from)!, dry, batch => output.WriteLine(Describe(batch, inv)), parse.GetValue(resendAll), cancel);
            if (report.RecordWarning is not null)
            {
                error.WriteLine($"warning: {report.RecordWarning}");
            }
            output.WriteLine(dry
                ? string.Create(inv, $"Dry run done: {report.RowsUpserted:N0} new or changed rows in {report.Batches.Count(b => !b.Deletes):N0} batches would be upserted ({report.RowsUnchanged:N0} unchanged since the last publish); {report.IdsListed:N0} ids are listed as deleted.")
                : string.Create(inv, $"Done: {report.RowsUpserted:N0} new or changed rows upserted ({report.RowsUnchanged:N0} unchanged since the last publish, not sent), {report.IdsDeleted:N0} of {report.IdsListed:N0} listed ids deleted."));
            return 0;
        }, interrupt));
        return command;
    }

    private static string Describe(PublishBatch batch, IFormatProvider inv)
    {
        var kind = batch.Deletes ? "delete" : "upsert";
        var head = batch.Of == 0 ? $"  {kind}:" : string.Create(inv, $"  {kind} batch {batch.Number}/{batch.Of}: {batch.Rows:N0} {(batch.Deletes ? "ids" : "rows")}");
        var result = batch.Result is null ? "" : string.Create(inv, $" -> {batch.Result} ({batch.Elapsed.TotalSeconds:0.0} s)");
        var note = batch.Note is null ? "" : $" ({batch.Note})";
        return head + result + note;
    }
}
