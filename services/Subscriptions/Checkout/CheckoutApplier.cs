using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Billing.Subscriptions.Sync;
using Microsoft.EntityFrameworkCore;
using Subscription = Billing.Subscriptions.Model.Subscription;

namespace Billing.Subscriptions.Checkout;

/// <summary>
/// What a finished or expired Checkout Session means locally, the same for the webhook consumers and
/// verify-session: the checkout row closes, and a completed session's subscription is synced from Stripe.
/// </summary>
public sealed class CheckoutApplier(SubscriptionsDbContext db, SubscriptionSync sync)
{
    /// <summary>A completed session: the row is complete and its subscription (if any) applied. Idempotent.</summary>
    public async Task<Subscription?> CompletedAsync(string appId, string stripeSessionId, string? stripeSubscriptionId, CancellationToken ct)
    {
        await SetStatusAsync(appId, stripeSessionId, CheckoutStatus.Complete, ct);
        return stripeSubscriptionId is null ? null : await sync.ApplyAsync(appId, stripeSubscriptionId, ct);
    }

    /// <summary>An expired session: the row closes, so the next subscribe opens a new one.</summary>
    public Task ExpiredAsync(string appId, string stripeSessionId, CancellationToken ct) =>
        SetStatusAsync(appId, stripeSessionId, CheckoutStatus.Expired, ct);

    // Only an open row moves: a complete one never becomes expired again, whatever the delivery order.
    private Task SetStatusAsync(string appId, string stripeSessionId, CheckoutStatus status, CancellationToken ct) =>
        db.CheckoutSessions.Where(s => s.AppId == appId && s.StripeSessionId == stripeSessionId && s.Status == CheckoutStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, status), ct);
}
