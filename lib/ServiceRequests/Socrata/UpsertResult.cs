namespace ServiceRequests.Socrata;

/// <summary>
/// What a Socrata upsert reported: its response body
/// <c>{"Rows Created": n, "Rows Updated": n, "Rows Deleted": n, "Errors": n, ...}</c>
/// (a count the portal leaves out is 0).
/// </summary>
/// <param name="Created">Rows created (their id was new).</param>
/// <param name="Updated">Rows updated (their id existed).</param>
/// <param name="Deleted">Rows deleted by <c>:deleted</c>.</param>
/// <param name="Errors">Rows the portal could not apply, including deletes of ids it does not have.</param>
internal sealed record UpsertResult(long Created, long Updated, long Deleted, long Errors)
{
    /// <summary>The counts as a reader would say them: <c>created 1, updated 2, deleted 0, errors 0</c>.</summary>
    public override string ToString() => $"created {Created:N0}, updated {Updated:N0}, deleted {Deleted:N0}, errors {Errors:N0}";
}
