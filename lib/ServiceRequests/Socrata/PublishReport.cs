namespace ServiceRequests.Socrata;

/// <summary>One batch of a publish, as it is reported.</summary>
/// <param name="Deletes">Whether the batch deletes rows (else it upserts them).</param>
/// <param name="Number">The batch's number among its kind, from 1.</param>
/// <param name="Of">How many batches of its kind there are.</param>
/// <param name="Rows">Rows (or ids) in the batch.</param>
/// <param name="Result">The portal's report; null in a dry run.</param>
/// <param name="Elapsed">How long the batch took, retries included.</param>
/// <param name="Note">Anything else to say (e.g. ids that were already deleted).</param>
internal sealed record PublishBatch(bool Deletes, int Number, int Of, int Rows, UpsertResult? Result, TimeSpan Elapsed, string? Note);

/// <summary>What a publish did.</summary>
/// <param name="RowsUpserted">Rows of <c>issues.json</c> sent (in a dry run: that would be sent): the new and changed ones.</param>
/// <param name="RowsUnchanged">Rows of <c>issues.json</c> not sent because the portal already confirmed them as they are.</param>
/// <param name="IdsListed">Ids listed in <c>deleted.csv</c>.</param>
/// <param name="IdsDeleted">Ids deleted on the portal (in a dry run: 0).</param>
/// <param name="DryRun">Whether nothing was sent.</param>
/// <param name="Batches">Every batch, in order.</param>
/// <param name="Record">The record of what was published (see <see cref="PublishRecord"/>).</param>
/// <param name="RecordWarning">Set when the record was damaged and set aside (every row was sent again).</param>
internal sealed record PublishReport(long RowsUpserted, long RowsUnchanged, long IdsListed, long IdsDeleted, bool DryRun,
    IReadOnlyList<PublishBatch> Batches, string Record, string? RecordWarning);
