using DuckDB.NET.Data;
using Microsoft.Data.Analysis;
using ParquetSharp;
using ServiceRequests.Portal;
using ServiceRequests.Sync;
using ServiceRequests.TestSupport;
using ServiceRequests.Tests.Infrastructure;

namespace ServiceRequests.Tests.Portal;

/// <summary>The columnar copy: Parquet written by the library, read back by it and by DuckDB; other schemas refused.</summary>
public class PortalParquetTests
{
    private static readonly Lazy<DataFrame> Rows = new(() => PortalParquet.ToFrame(FakeRows.Sample(3_000, seed: 11)));

    private static string WriteParquet(string folder, DataFrame frame, string name = "issues.parquet")
    {
        var path = Path.Combine(folder, name);
        using (var file = File.Create(path))
        {
            PortalParquet.Write(frame, file);
        }
        return path;
    }

    private static string WriteJson(string folder, DataFrame frame)
    {
        var path = Path.Combine(folder, "issues.json");
        using (var file = File.Create(path))
        {
            PortalJson.Write(frame, file);
        }
        return path;
    }

    internal static void AssertSameFrame(DataFrame expected, DataFrame actual)
    {
        Assert.Equal(expected.Columns.Select(c => (c.Name, c.DataType)), actual.Columns.Select(c => (c.Name, c.DataType)));
        Assert.Equal(expected.Rows.Count, actual.Rows.Count);
        for (var c = 0; c < expected.Columns.Count; c++)
        {
            for (long r = 0; r < expected.Rows.Count; r++)
            {
                var (want, got) = (expected.Columns[c][r], actual.Columns[c][r]);
                if (!Equals(want, got))
                {
                    Assert.Fail($"column {expected.Columns[c].Name}, row {r}: expected {want ?? "null"}, got {got ?? "null"}");
                }
            }
        }
    }

    [Fact]
    public async Task A_parquet_copy_loads_into_the_same_frame_as_the_json_it_was_made_from()
    {
        using var folder = new TempFolder();
        var fromJson = IssueData.LoadFile(WriteJson(folder.Path, Rows.Value));
        var path = WriteParquet(folder.Path, fromJson);

        var fromParquet = await IssueData.LoadAsync(path);

        Assert.Equal(PortalSchema.FrameColumnNames, fromParquet.Columns.Select(c => c.Name));
        AssertSameFrame(fromJson, fromParquet);
        Assert.True(fromJson[PortalSchema.ClosedAt].NullCount > 0, "the sample has open issues (null timestamps)");
        var created = (DateTimeDataFrameColumn)fromParquet[PortalSchema.CreatedAt];
        Assert.Equal(DateTimeKind.Unspecified, created[0]!.Value.Kind);
        AssertSameFrame(fromJson, IssueData.LoadFile(path));
    }

    [Fact]
    public async Task An_empty_table_round_trips()
    {
        using var folder = new TempFolder();
        var empty = PortalParquet.ToFrame([]);
        var loaded = await IssueData.LoadAsync(WriteParquet(folder.Path, empty));
        Assert.Equal(0, loaded.Rows.Count);
        Assert.Equal(PortalSchema.FrameColumnNames, loaded.Columns.Select(c => c.Name));
    }

    [Fact]
    public void DuckDB_reads_the_same_file_with_the_same_counts_per_type_per_week_and_floating_timestamps()
    {
        using var folder = new TempFolder();
        var frame = IssueData.LoadFile(WriteJson(folder.Path, Rows.Value));
        var path = WriteParquet(folder.Path, frame);

        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"""
            SELECT request_type_title, CAST(date_trunc('week', created_at) AS DATE) AS week, count(*) AS n,
                   count(closed_at) AS closed, typeof(any_value(created_at)) AS t, typeof(any_value(council_district)) AS d
            FROM read_parquet('{path.Replace("'", "''", StringComparison.Ordinal)}')
            GROUP BY ALL ORDER BY 1, 2
            """;
        var fromDuck = new List<(string?, DateOnly, long, long)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                Assert.Equal("TIMESTAMP", reader.GetString(4));
                Assert.Equal("INTEGER", reader.GetString(5));
                fromDuck.Add((reader.IsDBNull(0) ? null : reader.GetString(0), DateOnly.FromDateTime(reader.GetDateTime(1)), reader.GetInt64(2), reader.GetInt64(3)));
            }
        }

        var types = (StringDataFrameColumn)frame[PortalSchema.RequestTypeTitle];
        var created = (DateTimeDataFrameColumn)frame[PortalSchema.CreatedAt];
        var closed = frame[PortalSchema.ClosedAt];
        var ours = Enumerable.Range(0, (int)frame.Rows.Count)
            .GroupBy(i => (Type: types[i], Week: Monday(created[i]!.Value)))
            .Select(g => ((string?)g.Key.Type, g.Key.Week, (long)g.Count(), (long)g.Count(i => closed[i] is not null)))
            .OrderBy(g => g.Item1, StringComparer.Ordinal).ThenBy(g => g.Week)
            .ToList();
        Assert.True(ours.Count > 50, $"only {ours.Count} type-weeks");
        Assert.Equal(ours, fromDuck);

        command.CommandText = $"SELECT min(created_at), max(latitude) FROM read_parquet('{path}')";
        using var extremes = command.ExecuteReader();
        Assert.True(extremes.Read());
        Assert.Equal((DateTime)created.Min(), extremes.GetDateTime(0));
        Assert.Equal((double)frame[PortalSchema.Latitude].Max(), extremes.GetDouble(1));
    }

    private static DateOnly Monday(DateTime t) => DateOnly.FromDateTime(t.Date.AddDays(-(((int)t.DayOfWeek + 6) % 7)));

    [Fact]
    public void A_parquet_file_DuckDB_wrote_from_the_json_loads_like_the_json()
    {
        using var folder = new TempFolder();
        var json = WriteJson(folder.Path, Rows.Value);
        var fromJson = IssueData.LoadFile(json);
        var path = Path.Combine(folder.Path, "duck.parquet");
        using (var duck = new DuckDBConnection("DataSource=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            // DuckDB's own writer: microsecond timestamps, its own encodings and row groups.
            command.CommandText = $$"""
                COPY (SELECT id, status, request_type_title, description,
                        CAST(created_at AS TIMESTAMP) AS created_at, CAST(acknowledged_at AS TIMESTAMP) AS acknowledged_at,
                        CAST(closed_at AS TIMESTAMP) AS closed_at, CAST(reopened_at AS TIMESTAMP) AS reopened_at,
                        CAST(updated_at AS TIMESTAMP) AS updated_at, CAST(days_to_close AS DOUBLE) AS days_to_close, report_method,
                        CAST(priority_code AS INTEGER) AS priority_code, CAST(canonical_issue_id AS BIGINT) AS canonical_issue_id,
                        web_url, address, neighborhood, CAST(council_district AS INTEGER) AS council_district,
                        CAST(location.coordinates[2] AS DOUBLE) AS latitude, CAST(location.coordinates[1] AS DOUBLE) AS longitude,
                        'extra' AS an_extra_column
                      FROM read_json('{{json}}', columns = {id: 'VARCHAR', status: 'VARCHAR', request_type_title: 'VARCHAR', description: 'VARCHAR',
                        created_at: 'VARCHAR', acknowledged_at: 'VARCHAR', closed_at: 'VARCHAR', reopened_at: 'VARCHAR', updated_at: 'VARCHAR',
                        days_to_close: 'VARCHAR', report_method: 'VARCHAR', priority_code: 'VARCHAR', canonical_issue_id: 'VARCHAR', web_url: 'VARCHAR',
                        address: 'VARCHAR', neighborhood: 'VARCHAR', council_district: 'VARCHAR', location: 'STRUCT(type VARCHAR, coordinates DOUBLE[])'}))
                TO '{{path}}' (FORMAT parquet, ROW_GROUP_SIZE 1000)
                """;
            command.ExecuteNonQuery();
        }

        AssertSameFrame(fromJson, IssueData.LoadFile(path));
    }

    [Fact]
    public async Task Timestamps_in_nanoseconds_and_in_the_legacy_INT96_form_are_read_as_the_same_wall_clock_time()
    {
        using var folder = new TempFolder();
        var when = new DateTime(2025, 3, 9, 2, 30, 15, 123, DateTimeKind.Unspecified); // a wall-clock time DST skips: kept as written
        var nanos = folder.File("nanos.parquet");
        using (var duck = new DuckDBConnection("DataSource=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"COPY (SELECT CAST(TIMESTAMP '2025-03-09 02:30:15.123' AS TIMESTAMP_NS) AS created_at UNION ALL SELECT NULL) TO '{nanos}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }
        var int96 = folder.File("int96.parquet");
        using (var writer = new ParquetFileWriter(int96, [new Column<Int96?>(PortalSchema.CreatedAt)]))
        {
            using var group = writer.AppendRowGroup();
            var nanosOfDay = when.TimeOfDay.Ticks * 100;
            var julianDay = (int)(DateOnly.FromDateTime(when).DayNumber - new DateOnly(1970, 1, 1).DayNumber + 2440588);
            using (var created = group.NextColumn().LogicalWriter<Int96?>())
            {
                created.WriteBatch([new Int96((int)nanosOfDay, (int)(nanosOfDay >> 32), julianDay), null]);
            }
            writer.Close();
        }
        using (var duck = new DuckDBConnection("DataSource=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"SELECT created_at FROM read_parquet('{int96}') LIMIT 1";
            Assert.Equal(when, (DateTime)command.ExecuteScalar()!); // DuckDB reads the INT96 value as the same time
        }

        foreach (var path in new[] { nanos, int96 })
        {
            var frame = await IssueData.LoadAsync(path, new IssueLoadOptions { Columns = [PortalSchema.CreatedAt] });
            var created = (DateTimeDataFrameColumn)frame[PortalSchema.CreatedAt];
            Assert.Equal([when, null], created.ToList());
            Assert.Equal(DateTimeKind.Unspecified, created[0]!.Value.Kind);
        }
    }

    public static TheoryData<string, string, string> OtherSchemas => new()
    {
        { "council_district AS VARCHAR", "council_district", "String" },
        { "council_district AS BIGINT", "council_district", "Int64" },
        { "created_at AS TIMESTAMPTZ", "created_at", "UTC-adjusted" },
        { "created_at AS DATE", "created_at", "a date without a time of day" },
        { "[status] AS LIST", "status", "a list" },
        { "status AS STRUCT", "status", "nested" },
    };

    [Theory]
    [MemberData(nameof(OtherSchemas))]
    public void A_parquet_file_with_another_schema_gets_one_line_naming_the_file_and_the_column(string change, string column, string said)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "other.parquet");
        var (expression, name) = change.Split(" AS ") switch
        {
            ["[status]", _] => ("[status]", "status"),
            ["status", "STRUCT"] => ("{'s': status}", "status"),
            [var c, var type] => ($"CAST({c} AS {type})", c),
            _ => throw new ArgumentException(change),
        };
        var good = WriteParquet(folder.Path, IssueData.LoadFile(WriteJson(folder.Path, Rows.Value)));
        using (var duck = new DuckDBConnection("DataSource=:memory:"))
        {
            duck.Open();
            using var command = duck.CreateCommand();
            command.CommandText = $"COPY (SELECT * REPLACE ({expression} AS {name}) FROM read_parquet('{good}')) TO '{path}' (FORMAT parquet)";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<ServiceRequestsException>(() => IssueData.LoadFile(path));

        Assert.True(error.Message.Contains(said, StringComparison.Ordinal), error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(path, error.Message);
        Assert.Contains($"'{column}'", error.Message);
        Assert.Contains(said, error.Message);
    }

    [Fact]
    public async Task A_parquet_file_without_a_portal_column_names_it()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "narrow.parquet");
        using (var writer = new ParquetFileWriter(path, [new Column<string>("id", LogicalType.String())]))
        {
            using var group = writer.AppendRowGroup();
            using (var id = group.NextColumn().LogicalWriter<string>())
            {
                id.WriteBatch(["1", "2"]);
            }
            writer.Close();
        }

        var error = await Assert.ThrowsAsync<ServiceRequestsException>(() => IssueData.LoadAsync(path));

        Assert.StartsWith($"{path}: column 'status' is missing", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[{\"id\":\"1\"}]")]
    [InlineData("PAR1")]
    public void A_file_that_is_not_parquet_names_the_file(string content)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "issues.parquet");
        File.WriteAllText(path, content);

        var error = Assert.Throws<ServiceRequestsException>(() => IssueData.LoadFile(path));

        Assert.StartsWith($"{path}: not a readable Parquet file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_parquet_file_is_named()
    {
        var error = Assert.Throws<ServiceRequestsException>(() => IssueData.LoadFile("/no/such/folder/issues.parquet"));
        Assert.Contains("/no/such/folder/issues.parquet", error.Message);
    }

    [Fact]
    public async Task Fuzz_damaged_parquet_loads_or_fails_with_one_line_naming_the_file()
    {
        using var folder = new TempFolder();
        var original = File.ReadAllBytes(WriteParquet(folder.Path, PortalParquet.ToFrame(FakeRows.Sample(200, seed: 3)), "original.parquet"));
        var path = Path.Combine(folder.Path, "damaged.parquet");
        var random = new Random(15);
        var (loaded, refused) = (0, 0);
        for (var round = 0; round < 400; round++)
        {
            var bytes = original.ToList();
            for (int m = 0, n = 1 + random.Next(4); m < n && bytes.Count > 0; m++)
            {
                // Damage the footer (schema, offsets) as often as the column data.
                var at = random.Next(2) == 0 ? random.Next(bytes.Count) : Math.Max(0, bytes.Count - 1 - random.Next(Math.Min(bytes.Count, 600)));
                switch (random.Next(5))
                {
                    case 0: bytes.RemoveAt(at); break;
                    case 1: bytes.Insert(at, (byte)random.Next(256)); break;
                    case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                    default: bytes[at] = (byte)random.Next(256); break;
                }
            }
            await File.WriteAllBytesAsync(path, [.. bytes]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                var frame = await IssueData.LoadAsync(path, cancellationToken: timeout.Token);
                Assert.Equal(PortalSchema.FrameColumnNames, frame.Columns.Select(c => c.Name));
                loaded++;
            }
            catch (ServiceRequestsException e)
            {
                Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain('\n', e.Message);
                refused++;
            }
        }
        Assert.True(loaded > 0 && refused > 0, $"loaded {loaded}, refused {refused}");
    }

    [Fact]
    public void The_sync_store_writes_the_public_table_as_parquet_too_with_the_same_rows_as_its_json()
    {
        using var folder = new TempFolder();
        var store = IssueStore.Open(folder.Path);
        foreach (var issue in FakeSeeClickFix.Generate(300))
        {
            store.Upsert(issue);
        }
        store.Save();
        var parquet = Path.Combine(folder.Path, StoreLayout.PublicParquet);
        var bytes = File.ReadAllBytes(parquet);

        AssertSameFrame(IssueData.LoadFile(Path.Combine(folder.Path, StoreLayout.PublicJson)), IssueData.LoadFile(parquet));
        Assert.Empty(Directory.GetFiles(Path.Combine(folder.Path, StoreLayout.PublicFolder), "*.tmp"));
        store.Save();
        Assert.Equal(bytes, File.ReadAllBytes(parquet));
    }
}
