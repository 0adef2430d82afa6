using System.Net;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.EndToEnd;

/// <summary>Usage ingestion through the gateway: exact totals under concurrency and duplicates, rejections by index, tenancy.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class UsageIngestionTests(SystemFixture system) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task Batches_with_duplicates_inside_and_across_sent_by_8_concurrent_clients_twice_count_each_event_once()
    {
        var steps = new UsageSteps(system, await system.NewTenantAsync());
        var now = DateTimeOffset.UtcNow;
        string[] customers = ["user-a-" + Guid.NewGuid().ToString("N")[..6], "user-b-" + Guid.NewGuid().ToString("N")[..6]];
        string[] meters = ["ai_tokens", "lambda_invocations"];
        // 3,000 distinct events; each client's batch of 1,000 draws from them with repeats, so ids repeat inside
        // a batch, across the 8 concurrent batches, and across the two rounds.
        object EventOf(int n) => UsageSteps.Event($"evt-{n}", customers[n % 2], meters[n / 2 % 2], n % 7 + 1, now.AddMinutes(-1).AddDays(-(n % 3)));
        var random = new Random(15);
        var batches = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, 1000).Select(_ => random.Next(3000)).ToList()).ToList();
        var sent = batches.SelectMany(b => b).Distinct().ToList();

        var first = await Task.WhenAll(batches.Select(b => steps.SendAsync(b.Select(EventOf))));
        var second = await Task.WhenAll(batches.Select(b => steps.SendAsync(b.Select(EventOf))));

        Assert.Equal(sent.Count, first.Sum(r => r.GetProperty("accepted").GetInt32()));
        Assert.Equal(8000 - sent.Count, first.Sum(r => r.GetProperty("duplicates").GetInt32()));
        Assert.All(second, r => Assert.Equal((0, 1000), (r.GetProperty("accepted").GetInt32(), r.GetProperty("duplicates").GetInt32())));
        Assert.All(first.Concat(second), r => Assert.Empty(r.GetProperty("rejected").EnumerateArray()));
        var start = now.AddDays(-3).ToString("yyyy-MM-dd");
        var end = now.ToString("yyyy-MM-dd");
        foreach (var (customer, index) in customers.Select((c, i) => (c, i)))
        {
            var expected = sent.Where(n => n % 2 == index)
                .GroupBy(n => (now.AddMinutes(-1).AddDays(-(n % 3)).UtcDateTime.ToString("yyyy-MM-dd"), meters[n / 2 % 2]))
                .ToDictionary(g => g.Key, g => g.Sum(n => (long)(n % 7 + 1)));
            var history = await steps.HistoryAsync($"customerExternalId={customer}", start, end);
            Assert.Equal(expected.OrderBy(e => e.Key), history.OrderBy(h => h.Key));
        }
    }

    [Fact]
    public async Task Malformed_and_unknown_events_are_rejected_by_index_and_the_rest_of_the_batch_is_kept()
    {
        var steps = new UsageSteps(system, await system.NewTenantAsync());
        var now = DateTimeOffset.UtcNow;
        var customer = "user-" + Guid.NewGuid().ToString("N")[..8];
        object[] events =
        [
            UsageSteps.Event("ok-1", customer, "ai_tokens", 10, now),
            new { id = "no-quantity", customerExternalId = customer, meter = "ai_tokens", timestamp = now.ToString("O") },
            UsageSteps.Event("ok-2", customer, "ai_tokens", 5, now.AddDays(-34)),
            UsageSteps.Event("too-old", customer, "ai_tokens", 1, now.AddDays(-36)),
            UsageSteps.Event("future", customer, "ai_tokens", 1, now.AddMinutes(10)),
            UsageSteps.Event("meter", customer, "no_such_meter", 1, now),
            new { id = "unknown-customer", customerId = "cus_nobody", meter = "ai_tokens", quantity = 1, timestamp = now.ToString("O") },
            new { id = "negative", customerExternalId = customer, meter = "ai_tokens", quantity = -3, timestamp = now.ToString("O") },
            new { id = "fraction", customerExternalId = customer, meter = "ai_tokens", quantity = 1.5, timestamp = now.ToString("O") },
            "not an object",
            new { id = "both", customerId = "cus_x", customerExternalId = customer, meter = "ai_tokens", quantity = 1, timestamp = now.ToString("O") },
            UsageSteps.Event("ok-3", customer, "ai_tokens", 7, now.AddMinutes(4)),
        ];

        var answer = await steps.SendAsync(events);

        Assert.Equal((3, 0), (answer.GetProperty("accepted").GetInt32(), answer.GetProperty("duplicates").GetInt32()));
        var rejected = answer.GetProperty("rejected").EnumerateArray().Select(r => (r.GetProperty("index").GetInt32(), r.GetProperty("code").GetString())).ToList();
        Assert.Equal([(1, "validation_failed"), (3, "timestamp_too_old"), (4, "timestamp_in_future"), (5, "unknown_meter"), (6, "unknown_customer"),
            (7, "validation_failed"), (8, "validation_failed"), (9, "validation_failed"), (10, "validation_failed")], rejected);
        var history = await steps.HistoryAsync($"customerExternalId={customer}", now.AddDays(-35).ToString("yyyy-MM-dd"), now.AddDays(1).ToString("yyyy-MM-dd"));
        Assert.Equal(22, history.Values.Sum());
        Assert.Equal(5, history[(now.AddDays(-34).UtcDateTime.ToString("yyyy-MM-dd"), "ai_tokens")]);
    }

    [Fact]
    public async Task A_timestamp_counts_in_the_UTC_day_of_its_instant_whatever_its_form()
    {
        var steps = new UsageSteps(system, await system.NewTenantAsync());
        var customer = "user-" + Guid.NewGuid().ToString("N")[..8];
        // Two days back, 01:30 UTC: early enough in the day that an offset moves the instant to the day before.
        var day = DateTime.UtcNow.Date.AddDays(-2);
        object At(string id, long quantity, string timestamp) =>
            new { id, customerExternalId = customer, meter = "ai_tokens", quantity, timestamp };
        object[] events =
        [
            At("zulu", 1, $"{day:yyyy-MM-dd}T01:30:00Z"),
            At("no-offset", 10, $"{day:yyyy-MM-dd}T01:30:00.1234567"),
            // 01:30 at +02:00 is 23:30 UTC the day before; 23:30 at -02:00 is 01:30 UTC the day after.
            At("east", 100, $"{day:yyyy-MM-dd}T01:30:00+02:00"),
            At("west", 1000, $"{day.AddDays(-1):yyyy-MM-dd}T23:30:00-02:00"),
            // Not ISO 8601, still a date and time: read as UTC.
            At("prose", 10000, $"{day:MM/dd/yyyy} 01:30:00"),
        ];

        var answer = await steps.SendAsync(events);

        Assert.Equal(5, answer.GetProperty("accepted").GetInt32());
        var history = await steps.HistoryAsync($"customerExternalId={customer}", $"{day.AddDays(-1):yyyy-MM-dd}", $"{day:yyyy-MM-dd}");
        Assert.Equal(new Dictionary<(string, string), long>
        {
            [($"{day.AddDays(-1):yyyy-MM-dd}", "ai_tokens")] = 100,
            [($"{day:yyyy-MM-dd}", "ai_tokens")] = 11011,
        }.OrderBy(e => e.Key), history.OrderBy(h => h.Key));
    }

    [Fact]
    public async Task A_body_that_is_no_batch_and_a_NUL_in_the_query_are_400_not_500()
    {
        var steps = new UsageSteps(system, await system.NewTenantAsync());
        string[] notBatches = ["", "null", "[]", "{}", "{\"events\":null}", "{\"events\":[", "not json"];

        foreach (var body in notBatches)
        {
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
            using var response = await steps.Client.PostAsync(steps.Path("usage/events"), content);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"body '{body}': {response.StatusCode}");
        }
        using (var text = new StringContent("""{"events":[]}""", System.Text.Encoding.UTF8, "text/plain"))
        using (var response = await steps.Client.PostAsync(steps.Path("usage/events"), text))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        // Through the gateway to three services whose queries would otherwise carry the NUL to Postgres.
        foreach (var query in new[] { "usage?customerExternalId=a%00b", "billing/wallet?customerId=%00", "billing/customers?externalId=%00" })
        {
            using var response = await steps.Client.GetAsync(steps.Path(query));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{query}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task Custom_meters_aggregate_by_sum_max_or_last_and_a_taken_key_is_a_conflict()
    {
        var steps = new UsageSteps(system, await system.NewTenantAsync());
        var now = DateTimeOffset.UtcNow.AddMinutes(-10);
        await steps.Client.PostAsync(steps.Path("usage/meters"), new { key = "seats", unit = "seats", aggregation = "last" }, 201);
        await steps.Client.PostAsync(steps.Path("usage/meters"), new { key = "peak_gpus", unit = "gpus", aggregation = "max" }, 201);
        var taken = await steps.Client.PostAsync(steps.Path("usage/meters"), new { key = "ai_tokens", unit = "tokens", aggregation = "sum" }, 409);
        Assert.Equal("conflict", taken.GetProperty("code").GetString());
        var bad = await steps.Client.PostAsync(steps.Path("usage/meters"), new { key = "Bad Key", unit = "x", aggregation = "avg" }, 400);
        Assert.Equal("validation_failed", bad.GetProperty("code").GetString());
        var customer = "user-" + Guid.NewGuid().ToString("N")[..8];

        await steps.SendAsync([UsageSteps.Event("s1", customer, "seats", 5, now), UsageSteps.Event("s2", customer, "seats", 3, now.AddSeconds(2)),
            UsageSteps.Event("g1", customer, "peak_gpus", 4, now), UsageSteps.Event("g2", customer, "peak_gpus", 9, now.AddSeconds(1))]);
        await steps.SendAsync([UsageSteps.Event("s0", customer, "seats", 8, now.AddSeconds(-5)), UsageSteps.Event("g3", customer, "peak_gpus", 2, now.AddSeconds(3))]);

        var day = now.UtcDateTime.ToString("yyyy-MM-dd");
        var history = await steps.HistoryAsync($"customerExternalId={customer}", day, day);
        Assert.Equal(3, history[(day, "seats")]);
        Assert.Equal(9, history[(day, "peak_gpus")]);
        var meters = await steps.Client.GetAsync(steps.Path("usage/meters"), 200);
        Assert.Contains(meters.GetProperty("data").EnumerateArray(), m => m.GetProperty("key").GetString() == "seats" && m.GetProperty("aggregation").GetString() == "last");
    }

    [Fact]
    public async Task Another_apps_usage_routes_are_not_found_and_its_customers_are_unknown()
    {
        var owner = new UsageSteps(system, await system.NewTenantAsync());
        var other = new UsageSteps(system, await system.NewTenantAsync());
        var customer = "user-" + Guid.NewGuid().ToString("N")[..8];
        await owner.SendAsync([UsageSteps.Event("e1", customer, "ai_tokens", 3, DateTimeOffset.UtcNow)]);

        foreach (var path in new[] { $"usage?customerExternalId={customer}", $"usage/summary?customerExternalId={customer}", "usage/meters",
                     $"entitlements/check?customerExternalId={customer}&meter=ai_tokens" })
        {
            var answer = await other.Client.GetAsync(owner.Path(path), 404);
            Assert.Equal("not_found", answer.GetProperty("code").GetString());
        }
        var post = await other.Client.PostAsync(owner.Path("usage/events"), new { events = new[] { UsageSteps.Event("e2", customer, "ai_tokens", 1, DateTimeOffset.UtcNow) } }, 404);
        Assert.Equal("not_found", post.GetProperty("code").GetString());
        // In its own app the same external id is another customer, with no usage.
        var own = await other.HistoryAsync($"customerExternalId={customer}", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd"), DateTimeOffset.UtcNow.ToString("yyyy-MM-dd"));
        Assert.Empty(own);
    }
}
