using System.Net.Http.Json;
using Billing.Hosting;
using Billing.Tests.Infrastructure;
using Billing.Webhooks.Normalization;
using Npgsql;

namespace Billing.Tests.Webhooks;

/// <summary>
/// Stripe duplicates, reorders and loses deliveries; the sandbox does too on demand. Whatever it
/// does, every event ends up stored once and published once, the lost ones by the reconciler.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class ChaosReconcileTests(InfrastructureFixture infrastructure)
{
    private const int Checkouts = 5;
    private static readonly IReadOnlySet<string> Mapped = StripeEventNormalizer.MappedTypes.ToHashSet();

    [Fact]
    public async Task Under_duplicated_shuffled_and_dropped_deliveries_every_event_is_stored_and_published_once()
    {
        await WebhookRows.ResetReconcilerAsync(infrastructure.Database("webhooks"));
        var sandboxUrl = $"http://127.0.0.1:{FreePort.Next()}";
        await using var probe = await StripeEventProbe.StartAsync(infrastructure);
        await using var webhooks = await WebhooksTestHost.StartAsync(infrastructure,
            WebhooksTestHost.Settings(sandboxUrl, reconcileInterval: TimeSpan.FromSeconds(1)));
        await using var sandbox = await SandboxServer.StartAsync(webhooks.Address.ToString().TrimEnd('/') + "/webhooks/stripe", url: sandboxUrl,
            settings: new Dictionary<string, string?> { ["Sandbox:Delivery:MaxAttempts"] = "1" });
        var app = TestApps.NewAppId();
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);

        await sandbox.ChaosAsync(("duplicate", "true"), ("shuffle_window", "5"), ("drop_percent", "40"));
        var price = await sandbox.CreateMonthlyPriceAsync();
        for (var i = 0; i < Checkouts; i++) await sandbox.CompleteSubscriptionCheckoutAsync(app, price);

        var events = await sandbox.EventsSinceAsync(started);
        var ids = events.Select(e => e.GetProperty("id").GetString()!).ToList();
        var mapped = events.Where(e => Mapped.Contains(e.GetProperty("type").GetString()!)).Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.True(mapped.Count >= Checkouts * 4, $"expected the checkouts' events, saw {mapped.Count}");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await CountAsync("select count(*) from webhooks.received_events where stripe_event_id = any(@ids)", ids) < ids.Count && DateTime.UtcNow < deadline)
            await Task.Delay(200);

        Assert.Equal(ids.Count, await CountAsync("select count(*) from webhooks.received_events where stripe_event_id = any(@ids)", ids));
        Assert.True(await CountAsync("select count(*) from webhooks.received_events where stripe_event_id = any(@ids) and source = 'Reconciler'", ids) > 0,
            "with 40 % of deliveries dropped, some events can only have come from the reconciler");
        await probe.WaitForAsync(e => mapped.Contains(e.Origin.StripeEventId), mapped.Count, TimeSpan.FromSeconds(20));
        await probe.SettleAsync(_ => false);
        var perEvent = probe.Of(e => mapped.Contains(e.Origin.StripeEventId)).GroupBy(p => p.Message.Origin.StripeEventId).ToList();
        Assert.Equal(mapped.Order(), perEvent.Select(g => g.Key).Order());
        Assert.All(perEvent, g => Assert.Single(g));
    }

    [Fact]
    public async Task A_connected_account_event_no_webhook_delivered_is_stored_and_published_by_the_reconciler()
    {
        await WebhookRows.ResetReconcilerAsync(infrastructure.Database("webhooks"));
        var sandboxUrl = $"http://127.0.0.1:{FreePort.Next()}";
        await using var probe = await StripeEventProbe.StartAsync(infrastructure);
        await using var webhooks = await WebhooksTestHost.StartAsync(infrastructure,
            WebhooksTestHost.Settings(sandboxUrl, reconcileInterval: TimeSpan.FromSeconds(1)));
        // Only the platform endpoint is registered: every connected account's delivery is lost.
        await using var sandbox = await SandboxServer.StartAsync(webhooks.Address.ToString().TrimEnd('/') + "/webhooks/stripe", url: sandboxUrl);

        var account = (await sandbox.PostAsync("/v1/accounts", ("type", "express"), ("country", "US"))).GetProperty("id").GetString()!;
        await sandbox.PostAsync($"/v1/accounts/{account}", ("email", "creator@example.com"));

        using var listAsAccount = new HttpRequestMessage(HttpMethod.Get, "/v1/events?type=account.updated");
        listAsAccount.Headers.Add("Stripe-Account", account);
        using var listed = await sandbox.Client.SendAsync(listAsAccount);
        var events = (await listed.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("data").EnumerateArray().ToList();
        var eventId = Assert.Single(events).GetProperty("id").GetString()!;

        var arrived = await probe.WaitForAsync(e => e.Origin.StripeEventId == eventId, 1, TimeSpan.FromSeconds(20));
        Assert.Equal(account, Assert.Single(arrived).Message.Origin.ConnectedAccountId);
        Assert.Equal(1, await CountAsync(
            $"select count(*) from webhooks.received_events where stripe_event_id = any(@ids) and source = 'Reconciler' and account = '{account}'", [eventId]));
    }

    private async Task<long> CountAsync(string sql, List<string> ids)
    {
        await using var connection = new NpgsqlConnection(infrastructure.Database("webhooks"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}

