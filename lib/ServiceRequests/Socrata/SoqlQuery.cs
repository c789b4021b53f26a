using System.Text;
using ServiceRequests.Portal;

namespace ServiceRequests.Socrata;

/// <summary>
/// An immutable SoQL query for the SODA 2.x resource endpoint: <c>$select</c>, <c>$where</c>,
/// <c>$order</c>, <c>$limit</c>, <c>$offset</c> and <c>$q</c>. Conditions are combined with
/// <c>AND</c>; the typed helpers build conditions with escaped literals (<see cref="Soql"/>), so
/// user values can never change the query. <see cref="Limit"/> caps the rows of the whole result;
/// <see cref="SocrataClient"/> pages through it.
/// </summary>
/// <example><code>
/// var query = new SoqlQuery()
///     .CreatedBetween(new DateTime(2026, 1, 1), new DateTime(2026, 2, 1))
///     .RequestTypeIn("Potholes", "Tree Issue");
/// </code></example>
internal sealed record SoqlQuery
{
    /// <summary><c>$select</c>: the fields to return (default: all, <c>*</c>).</summary>
    public string? Select { get; init; }

    /// <summary><c>$where</c>: the row filter.</summary>
    public string? Where { get; init; }

    /// <summary><c>$order</c>: the sort order. Paging appends <c>:id</c> when it is missing, so pages are stable.</summary>
    public string? Order { get; init; }

    /// <summary><c>$limit</c>: the most rows to return in all (default: every row).</summary>
    public long? Limit { get; init; }

    /// <summary><c>$offset</c>: rows to skip first.</summary>
    public long? Offset { get; init; }

    /// <summary><c>$q</c>: full-text search across the text fields.</summary>
    public string? Search { get; init; }

    /// <summary>This query with <paramref name="condition"/> added to <see cref="Where"/> by <c>AND</c>.</summary>
    /// <param name="condition">A SoQL condition; build its literals with <see cref="Soql"/>.</param>
    public SoqlQuery And(string condition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(condition);
        return this with { Where = string.IsNullOrWhiteSpace(Where) ? condition : $"({Where}) AND ({condition})" };
    }

    /// <summary>
    /// Rows with <paramref name="field"/> (a floating timestamp, default <c>created_at</c>) from
    /// <paramref name="from"/> inclusive to <paramref name="to"/> exclusive, both city wall-clock time.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="to"/> is not after <paramref name="from"/>.</exception>
    public SoqlQuery CreatedBetween(DateTime from, DateTime to, string field = PortalSchema.CreatedAt)
    {
        if (to <= from)
        {
            throw new ArgumentException($"The end {to:yyyy-MM-dd HH:mm} is not after the start {from:yyyy-MM-dd HH:mm}.", nameof(to));
        }
        var name = Soql.Field(field);
        return And($"{name} >= {Soql.Floating(from)} AND {name} < {Soql.Floating(to)}");
    }

    /// <summary>Rows whose request type (or <paramref name="field"/>) is one of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">No value is given.</exception>
    public SoqlQuery RequestTypeIn(IEnumerable<string> values, string field = PortalSchema.RequestTypeTitle)
    {
        ArgumentNullException.ThrowIfNull(values);
        var literals = values.Select(Soql.Text).Distinct(StringComparer.Ordinal).ToList();
        if (literals.Count == 0)
        {
            throw new ArgumentException("Give at least one request type.", nameof(values));
        }
        return And($"{Soql.Field(field)} IN ({string.Join(", ", literals)})");
    }

    /// <summary>Rows whose request type is one of <paramref name="values"/>.</summary>
    /// <inheritdoc cref="RequestTypeIn(IEnumerable{string}, string)" path="/exception"/>
    public SoqlQuery RequestTypeIn(params string[] values) => RequestTypeIn(values, PortalSchema.RequestTypeTitle);

    /// <summary>Rows the portal changed after <paramref name="since"/> (system field <c>:updated_at</c>, an instant).</summary>
    public SoqlQuery ChangedSince(DateTimeOffset since) => And($":updated_at > {Soql.Fixed(since)}");

    /// <summary>
    /// The URL query string (<c>$select=...&amp;$where=...</c>), each value percent-encoded; empty
    /// when nothing is set.
    /// </summary>
    public string ToQueryString()
    {
        var parts = new List<string>(6);
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }
        Add("$select", Select);
        Add("$where", Where);
        Add("$order", Order);
        Add("$q", Search);
        Add("$limit", Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("$offset", Offset?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return string.Join('&', parts);
    }

    /// <summary>The query as a reader would write it (decoded), for messages: <c>$where=status = 'Open' $limit=10</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var part in ToQueryString().Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            text.Append(text.Length == 0 ? "" : " ").Append(Uri.UnescapeDataString(part));
        }
        return text.Length == 0 ? "(all rows)" : text.ToString();
    }

    /// <summary>
    /// Reads a URL query string: the SoQL parameters, and SODA's simple filters
    /// (<c>status=Open</c> means <c>status = 'Open'</c>).
    /// </summary>
    /// <exception cref="ServiceRequestsException">
    /// A parameter is not supported (<c>$query</c>, which cannot be paged; <c>$$app_token</c>, which
    /// belongs in the <c>SOCRATA_APP_TOKEN</c> environment variable), is repeated, or is not a number where one is needed.
    /// </exception>
    public static SoqlQuery Parse(string? queryString)
    {
        var query = new SoqlQuery();
        if (string.IsNullOrEmpty(queryString))
        {
            return query;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in queryString.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var name = Uri.UnescapeDataString((eq < 0 ? part : part[..eq]).Replace('+', ' '));
            var value = eq < 0 ? "" : Uri.UnescapeDataString(part[(eq + 1)..].Replace('+', ' '));
            if (!seen.Add(name))
            {
                throw new ServiceRequestsException($"The parameter '{name}' appears twice in the address.");
            }
            query = name switch
            {
                "$select" => query with { Select = value },
                "$where" => query with { Where = string.IsNullOrWhiteSpace(query.Where) ? value : $"({value}) AND ({query.Where})" },
                "$order" => query with { Order = value },
                "$q" => query with { Search = value },
                "$limit" => query with { Limit = Count(name, value) },
                "$offset" => query with { Offset = Count(name, value) },
                "$query" => throw new ServiceRequestsException("$query cannot be paged; use $select, $where and $order instead."),
                _ when name.Contains("app_token", StringComparison.OrdinalIgnoreCase) =>
                    throw new ServiceRequestsException("Do not put the app token in the address: set the SOCRATA_APP_TOKEN environment variable instead."),
                _ when name.StartsWith('$') => throw new ServiceRequestsException($"The parameter '{name}' is not supported (use $select, $where, $order, $limit, $offset, $q)."),
                _ => query.And($"{SimpleFilterField(name)} = {Soql.Text(value)}"),
            };
        }
        return query;
    }

    private static string SimpleFilterField(string name)
    {
        try
        {
            return Soql.Field(name);
        }
        catch (ArgumentException e)
        {
            throw new ServiceRequestsException($"The address has a filter on '{name}', which is not a field name: {e.Message}", e);
        }
    }

    private static long Count(string name, string value) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ServiceRequestsException($"{name} must be a whole number 0 or more (got '{value}').");
}
