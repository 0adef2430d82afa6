using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.Contracts.Stripe;
using Billing.Hosting;
using Billing.Tests.Infrastructure;
using Billing.Webhooks.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Billing.Webhooks.Infrastructure;

namespace Billing.Tests.Webhooks;

/// <summary>Real flows in the Stripe sandbox, delivered to the Webhooks service, become the expected contracts.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class NormalizationTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _webhooks = null!;
    private SandboxServer _sandbox = null!;
    private StripeEventProbe _probe = null!;
    private readonly string _app = TestApps.NewAppId();

    public async Task InitializeAsync()
    {
        _probe = await StripeEventProbe.StartAsync(infrastructure);
        // The service reads thin events' objects from the sandbox, and the sandbox delivers to the service.
        var sandboxUrl = $"http://127.0.0.1:{FreePort.Next()}";
        _webhooks = await WebhooksTestHost.StartAsync(infrastructure, WebhooksTestHost.Settings(sandboxUrl));
        var address = _webhooks.Address.ToString().TrimEnd('/');
        _sandbox = await SandboxServer.StartAsync(address + "/webhooks/stripe", address + "/webhooks/stripe/connect", url: sandboxUrl);
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        await _webhooks.DisposeAsync();
        await _probe.DisposeAsync();
    }

    private async Task<T> Published<T>(Func<T, bool>? match = null) where T : IStripeIntegrationEvent
    {
        var arrived = await _probe.WaitForAsync(e => e is T t && (match?.Invoke(t) ?? true), 1);
        Assert.NotEmpty(arrived);
        return (T)arrived[0].Message;
    }

    [Fact]
    public async Task A_paid_subscription_checkout_publishes_the_session_the_subscription_and_the_paid_invoice_with_the_app()
    {
        var session = await _sandbox.CompleteSubscriptionCheckoutAsync(_app, await _sandbox.CreateMonthlyPriceAsync(2900));
        var sessionId = session.GetProperty("id").GetString()!;
        var subscriptionId = session.GetProperty("subscription").GetString()!;

        var completed = await Published<CheckoutSessionCompleted>(e => e.Session.Id == sessionId);
        Assert.Equal(_app, completed.AppId);
        Assert.Equal(("subscription", "complete", "paid", subscriptionId, 2900L), (completed.Session.Mode, completed.Session.Status,
            completed.Session.PaymentStatus, completed.Session.SubscriptionId, completed.Session.AmountTotal));
        Assert.Equal("checkout.session.completed", completed.Origin.Type);
        Assert.StartsWith("evt_", completed.Origin.StripeEventId);
        Assert.True(completed.Origin.Created > DateTimeOffset.UtcNow.AddMinutes(-5));
        Assert.Equal(completed.Origin.Created, completed.OccurredAt);

        var created = await Published<SubscriptionCreated>(e => e.Subscription.Id == subscriptionId);
        Assert.Equal(_app, created.AppId);
        Assert.Equal("active", created.Subscription.Status);
        Assert.NotNull(created.Subscription.PriceId);
        Assert.NotNull(created.Subscription.CurrentPeriodEnd);

        var paid = await Published<InvoicePaid>(e => e.Invoice.SubscriptionId == subscriptionId);
        Assert.Equal(_app, paid.AppId);
        Assert.Equal(("paid", 2900L, "usd"), (paid.Invoice.Status, paid.Invoice.AmountPaid, paid.Invoice.Currency));
        var both = await _probe.WaitForAsync(e => e is InvoicePaid i && i.Invoice.SubscriptionId == subscriptionId, 2);
        Assert.Equal(["invoice.paid", "invoice.payment_succeeded"], both.Select(b => b.Message.Origin.Type).Order());
    }

    [Fact]
    public async Task Updating_and_cancelling_a_subscription_publishes_updated_then_deleted_with_its_state()
    {
        var session = await _sandbox.CompleteSubscriptionCheckoutAsync(_app, await _sandbox.CreateMonthlyPriceAsync());
        var subscriptionId = session.GetProperty("subscription").GetString()!;

        await _sandbox.PostAsync($"/v1/subscriptions/{subscriptionId}", ("cancel_at_period_end", "true"));
        var updated = await Published<SubscriptionUpdated>(e => e.Subscription.Id == subscriptionId && e.Subscription.CancelAtPeriodEnd);
        Assert.Equal(_app, updated.AppId);

        using var cancel = await _sandbox.Client.DeleteAsync($"/v1/subscriptions/{subscriptionId}");
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var deleted = await Published<SubscriptionDeleted>(e => e.Subscription.Id == subscriptionId);
        Assert.Equal(("canceled", _app), (deleted.Subscription.Status, deleted.AppId));
        Assert.True(deleted.Origin.Created >= updated.Origin.Created);
    }

    [Fact]
    public async Task A_payment_checkout_publishes_the_succeeded_payment_intent_and_a_refund_the_refunded_charge()
    {
        var session = await _sandbox.CompletePaymentCheckoutAsync(_app, 4500);
        var paymentIntentId = session.GetProperty("payment_intent").GetString()!;

        var succeeded = await Published<PaymentIntentSucceeded>(e => e.PaymentIntent.Id == paymentIntentId);
        Assert.Equal(_app, succeeded.AppId);
        Assert.Equal(("succeeded", 4500L, 4500L, "usd"), (succeeded.PaymentIntent.Status, succeeded.PaymentIntent.Amount,
            succeeded.PaymentIntent.AmountReceived, succeeded.PaymentIntent.Currency));

        await _sandbox.PostAsync("/v1/refunds", ("payment_intent", paymentIntentId), ("amount", "1500"));
        var refunded = await Published<ChargeRefunded>(e => e.Charge.PaymentIntentId == paymentIntentId);
        Assert.Equal(_app, refunded.AppId);
        Assert.Equal((succeeded.PaymentIntent.LatestChargeId, 4500L, 1500L, false),
            (refunded.Charge.Id, refunded.Charge.Amount, refunded.Charge.AmountRefunded, refunded.Charge.Refunded));
    }

    [Fact]
    public async Task A_manual_capture_publishes_the_capturable_amount()
    {
        var session = await _sandbox.CompletePaymentCheckoutAsync(_app, 7000, manualCapture: true);
        var paymentIntentId = session.GetProperty("payment_intent").GetString()!;

        var capturable = await Published<PaymentIntentCapturable>(e => e.PaymentIntent.Id == paymentIntentId);
        Assert.Equal(_app, capturable.AppId);
        Assert.Equal(("requires_capture", 7000L), (capturable.PaymentIntent.Status, capturable.PaymentIntent.AmountCapturable));
    }

    [Fact]
    public async Task A_declined_card_publishes_the_failed_payment_intent_with_the_decline()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _sandbox.CompletePaymentCheckoutAsync(_app, 1200, card: "4000000000009995"));

        var failed = await Published<PaymentIntentFailed>(e => e.AppId == _app);
        Assert.Equal(("requires_payment_method", "insufficient_funds"), (failed.PaymentIntent.Status, failed.PaymentIntent.FailureCode));
    }

    [Fact]
    public async Task An_expired_checkout_session_is_published_as_expired()
    {
        var session = await _sandbox.OpenSubscriptionCheckoutAsync(_app, await _sandbox.CreateMonthlyPriceAsync());
        var sessionId = session.GetProperty("id").GetString()!;

        await _sandbox.PostAsync($"/v1/checkout/sessions/{sessionId}/expire");

        var expired = await Published<CheckoutSessionExpired>(e => e.Session.Id == sessionId);
        Assert.Equal(("expired", _app), (expired.Session.Status, expired.AppId));
    }

    [Fact]
    public async Task An_onboarded_connected_account_is_published_with_its_account_id_from_the_connect_endpoint()
    {
        var account = await _sandbox.PostAsync("/v1/accounts", ("type", "express"), ("metadata[app_id]", _app));
        var accountId = account.GetProperty("id").GetString()!;

        await _sandbox.PostAsync($"/v1/test_helpers/accounts/{accountId}/onboard");

        var updated = await Published<AccountUpdated>(e => e.Account.Id == accountId && e.Account.ChargesEnabled);
        Assert.Equal(accountId, updated.Origin.ConnectedAccountId);
        Assert.Equal(_app, updated.AppId);
        Assert.True(updated.Account.PayoutsEnabled && updated.Account.DetailsSubmitted);
    }

    [Fact]
    public async Task A_connected_accounts_event_whose_object_has_no_app_id_is_attributed_to_the_accounts_app()
    {
        var accountId = (await _sandbox.PostAsync("/v1/accounts", ("type", "express"), ("metadata[app_id]", _app))).GetProperty("id").GetString()!;
        var charge = new JsonObject
        {
            ["id"] = "ch_test_connect", ["object"] = "charge", ["status"] = "succeeded", ["amount"] = 5000, ["amount_refunded"] = 5000,
            ["refunded"] = true, ["currency"] = "usd", ["metadata"] = new JsonObject(),
        };
        var eventId = TestStripeEvents.NewEventId();

        using var response = await _webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe/connect",
            TestStripeEvents.Build("charge.refunded", charge, appId: null, eventId, account: accountId), WebhooksTestHost.ConnectSecret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refunded = await Published<ChargeRefunded>(e => e.Origin.StripeEventId == eventId);
        Assert.Equal((_app, accountId), (refunded.AppId, refunded.Origin.ConnectedAccountId));
        var stored = await _webhooks.InScopeAsync(sp =>
            sp.GetRequiredService<WebhooksDbContext>().ReceivedEvents.SingleAsync(e => e.StripeEventId == eventId));
        Assert.Equal(_app, stored.AppId);
    }

    [Fact]
    public async Task A_failed_invoice_payment_from_Stripes_fixture_is_published_with_the_attempt_and_next_retry()
    {
        var invoice = StripeFixtures.Resource("invoice");
        invoice["status"] = "open";
        invoice["attempt_count"] = 2;
        invoice["next_payment_attempt"] = DateTimeOffset.UtcNow.AddDays(3).ToUnixTimeSeconds();
        var eventId = TestStripeEvents.NewEventId();

        using var response = await _webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe",
            TestStripeEvents.Build("invoice.payment_failed", invoice, _app, eventId)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var failed = await Published<InvoicePaymentFailed>(e => e.Origin.StripeEventId == eventId);
        Assert.Equal((_app, invoice["id"]!.GetValue<string>(), "open", 2L), (failed.AppId, failed.Invoice.Id, failed.Invoice.Status, failed.Invoice.AttemptCount));
        Assert.NotNull(failed.Invoice.NextPaymentAttempt);
    }

    [Fact]
    public async Task A_thin_event_is_stored_in_snapshot_form_with_the_object_read_from_Stripe()
    {
        var session = await _sandbox.CompletePaymentCheckoutAsync(_app, 3100);
        var paymentIntentId = session.GetProperty("payment_intent").GetString()!;
        var eventId = TestStripeEvents.NewEventId();
        var thin = TestStripeEvents.ThinPaymentIntentSucceeded(eventId, paymentIntentId);

        using var response = await _webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", thin));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var published = await Published<PaymentIntentSucceeded>(e => e.Origin.StripeEventId == eventId);
        Assert.Equal((_app, paymentIntentId, 3100L), (published.AppId, published.PaymentIntent.Id, published.PaymentIntent.AmountReceived));
        var stored = await _webhooks.InScopeAsync(sp =>
            sp.GetRequiredService<WebhooksDbContext>().ReceivedEvents.SingleAsync(e => e.StripeEventId == eventId));
        Assert.Equal("event", JsonDocument.Parse(stored.Payload).RootElement.GetProperty("object").GetString());
    }

    [Fact]
    public async Task An_event_type_nobody_consumes_is_stored_as_ignored_and_not_published()
    {
        var eventId = TestStripeEvents.NewEventId();
        var body = TestStripeEvents.Build("customer.created", StripeFixtures.Resource("customer"), _app, eventId);

        using var response = await _webhooks.Client.SendAsync(WebhooksTestHost.Signed("/webhooks/stripe", body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await _webhooks.InScopeAsync(sp =>
            sp.GetRequiredService<WebhooksDbContext>().ReceivedEvents.SingleAsync(e => e.StripeEventId == eventId));
        Assert.Equal((ProcessingStatus.Ignored, _app), (stored.Status, stored.AppId));
        Assert.Equal(0, await WebhookRows.OutboxRowsAsync(infrastructure.Database("webhooks"), eventId));
        Assert.Empty(await _probe.SettleAsync(e => e.Origin.StripeEventId == eventId));
    }
}

/// <summary>Objects copied from Stripe's published API fixtures (<c>fixtures3.json</c>), beside this file.</summary>
public static class StripeFixtures
{
    private static readonly Lazy<JsonObject> Resources = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Webhooks", "Fixtures", "stripe-fixtures.json")))!.AsObject());

    public static JsonObject Resource(string name) => Resources.Value[name]!.DeepClone().AsObject();
}
