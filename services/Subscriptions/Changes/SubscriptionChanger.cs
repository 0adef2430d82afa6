using Billing.ServiceDefaults.Errors;
using Billing.Stripe;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Billing.Subscriptions.Plans;
using Billing.Subscriptions.Sync;
using Microsoft.EntityFrameworkCore;
using Stripe;
using Subscription = Billing.Subscriptions.Model.Subscription;

namespace Billing.Subscriptions.Changes;

/// <summary>What a caller asks to change; null fields keep the subscription's current value.</summary>
public sealed record ChangeOrder(
    string AppId, string CustomerId, string? SubscriptionId, string? PlanId, string? Interval, int? Quantity, DateTimeOffset? ProrationDate);

/// <summary>One line of the invoice a change makes now.</summary>
public sealed record ChangePreviewLine(string? Description, long AmountCents, bool Proration);

/// <summary>
/// What a change charges at once (<c>amountDueCents</c>, after any credit on the customer's balance) and the
/// proration date it was computed at: giving that date back to the change makes it charge exactly this.
/// </summary>
public sealed record ChangePreview(long AmountDueCents, string Currency, DateTimeOffset ProrationDate, IReadOnlyList<ChangePreviewLine> Lines);

/// <summary>
/// Changes a subscription's plan, interval or quantity in Stripe, and previews what that charges.
/// Both use <c>proration_behavior=always_invoice</c>: the difference is invoiced and charged at once
/// (an interval change starts a new cycle now and bills the new period less the unused old one), so
/// the preview's amount is what the customer pays for the change, not something hidden in the next
/// renewal. The preview is Stripe's own invoice preview of the same params at a fixed proration date.
/// </summary>
public sealed class SubscriptionChanger(SubscriptionsDbContext db, StripeClient stripe, PlanResolver plans, SubscriptionSync sync, TimeProvider clock)
{
    public const string ProrationBehavior = "always_invoice";

    /// <summary>How long a preview's proration date may be given back to the change.</summary>
    public static readonly TimeSpan PreviewLifetime = TimeSpan.FromHours(1);

    /// <summary>What the change would charge now, computed by Stripe; nothing changes.</summary>
    public async Task<ChangePreview> PreviewAsync(ChangeOrder order, CancellationToken ct)
    {
        var local = await CurrentAsync(order, ct);
        var change = await ResolveAsync(order, local, ct);
        var date = order.ProrationDate ?? change.Now;
        EnsureProrationDate(date, change);
        Invoice invoice;
        try
        {
            invoice = await stripe.V1.Invoices.CreatePreviewAsync(new InvoiceCreatePreviewOptions
            {
                Customer = change.Stripe.CustomerId,
                Subscription = change.Stripe.Id,
                SubscriptionDetails = new InvoiceSubscriptionDetailsOptions
                {
                    Items = [new InvoiceSubscriptionDetailsItemOptions { Id = change.Item.Id, Price = change.StripePriceId, Quantity = change.Quantity }],
                    ProrationBehavior = ProrationBehavior,
                    ProrationDate = date.UtcDateTime,
                },
            }, cancellationToken: ct);
        }
        catch (StripeException e) when (e.StripeError?.Code == "invoice_upcoming_none")
        {
            // Nothing billed now (a trial: no proration) and no renewal coming (canceling at period end).
            return new ChangePreview(0, change.Currency, date, []);
        }
        // A change that bills nothing now (during a trial) previews the next renewal instead: not due now.
        if (invoice.BillingReason != "subscription_update") return new ChangePreview(0, change.Currency, date, []);
        return new ChangePreview(invoice.AmountDue, invoice.Currency, date,
            invoice.Lines.Data.Select(l => new ChangePreviewLine(l.Description, l.Amount, l.Parent?.SubscriptionItemDetails?.Proration ?? false)).ToList());
    }

    /// <summary>
    /// Makes the change in Stripe and answers the subscription as Stripe then has it, applied through
    /// <see cref="SubscriptionSync"/> (the webhooks that follow find nothing left to change).
    /// </summary>
    public async Task<Subscription> ChangeAsync(ChangeOrder order, CancellationToken ct)
    {
        var found = await CurrentAsync(order, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Changes of one subscription queue here (and with its webhooks); each sees the one before applied.
        await db.LockAsync("stripe-subscription:" + found.StripeSubscriptionId, ct);
        var local = await db.Subscriptions.AsNoTracking().SingleAsync(s => s.Id == found.Id, ct);
        var change = await ResolveAsync(order, local, ct);
        if (order.ProrationDate is { } date) EnsureProrationDate(date, change);

        // Our ids, the subscription's version (grows with every applied change, so A→B→A→B are three changes)
        // and what is asked: a retry of the same request replays Stripe's first answer instead of charging twice.
        var key = IdempotencyKeys.From("subscription-change", local.Id, local.Version.ToString(), change.StripePriceId,
            change.Quantity.ToString(), order.ProrationDate?.ToUnixTimeSeconds().ToString() ?? "now");
        await stripe.V1.Subscriptions.UpdateAsync(change.Stripe.Id, new SubscriptionUpdateOptions
        {
            Items = [new SubscriptionItemOptions { Id = change.Item.Id, Price = change.StripePriceId, Quantity = change.Quantity }],
            ProrationBehavior = ProrationBehavior,
            // Without a date Stripe prorates at its own now (no second clock of ours to disagree with).
            ProrationDate = order.ProrationDate?.UtcDateTime,
            // The checkout wrote these; kept current so the subscription still names our plan if the projection misses its price.
            Metadata = new Dictionary<string, string> { ["plan_id"] = change.PlanId, ["price_id"] = change.PriceId },
        }, StripeConventions.Change(key), ct);

        db.ChangeTracker.Clear();
        var updated = await sync.ApplyAsync(order.AppId, change.Stripe.Id, ct) ?? throw ApiException.NotFound("The subscription");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return updated;
    }

    /// <summary>The change against Stripe's current state of the subscription (ours may lag a webhook behind).</summary>
    private sealed record Resolved(
        global::Stripe.Subscription Stripe, SubscriptionItem Item, string PlanId, string PriceId, string StripePriceId, int Quantity,
        string Currency, DateTimeOffset Now);

    private async Task<Resolved> ResolveAsync(ChangeOrder order, Subscription local, CancellationToken ct)
    {
        var latest = await stripe.V1.Subscriptions.GetAsync(local.StripeSubscriptionId, cancellationToken: ct);
        if (latest.Status is "canceled" or "incomplete_expired")
            throw ApiException.Conflict("The subscription has ended; subscribe again instead.");
        // Stripe changes no items of a subscription whose first payment is still outstanding.
        if (latest.Status == "incomplete") throw ApiException.Conflict("The subscription's first payment is not done yet.");
        if (latest.Items?.Data is not [{ Price: { } currentPrice } item])
            throw ApiException.Conflict("The subscription has more than one item; change it in Stripe.");
        var currentInterval = currentPrice.Recurring?.Interval ?? local.Interval;

        // A plan or interval names the plan's active price; otherwise only the quantity changes and the price stays.
        var (planId, priceId, stripePriceId, currency) = (local.PlanId, local.PriceId, currentPrice.Id, currentPrice.Currency);
        if (order.PlanId is not null || order.Interval is not null)
        {
            var target = await plans.ByPlanAsync(order.AppId, order.PlanId ?? local.PlanId, order.Interval ?? currentInterval, ct);
            (planId, priceId, stripePriceId, currency) = (target.Plan.Id, target.Price.Id, target.Price.StripePriceId!, target.Price.Currency);
            if (!string.Equals(currency, currentPrice.Currency, StringComparison.OrdinalIgnoreCase))
                throw ApiException.Validation("planId", $"The subscription is billed in {currentPrice.Currency}; the plan's price is in {currency}.");
        }
        var quantity = order.Quantity ?? (int)item.Quantity;
        if (stripePriceId == currentPrice.Id && quantity == item.Quantity)
            throw ApiException.Validation("planId", "The subscription already has this plan, interval and quantity: nothing to change.");
        return new Resolved(latest, item, planId, priceId, stripePriceId, quantity, currentPrice.Currency, await NowAsync(latest, ct));
    }

    /// <summary>
    /// A given proration date must be one a preview could have made: within the current period, not in the
    /// future, and recent (an old date would credit unused time the customer has since used).
    /// </summary>
    private static void EnsureProrationDate(DateTimeOffset date, Resolved change)
    {
        var start = new DateTimeOffset(DateTime.SpecifyKind(change.Item.CurrentPeriodStart, DateTimeKind.Utc));
        // A minute of slack: another replica's clock may run a little behind the one that made the preview.
        if (date > change.Now + TimeSpan.FromMinutes(1) || date < change.Now - PreviewLifetime || date < start)
            throw ApiException.Validation("prorationDate",
                $"prorationDate must be the one a preview of the last {PreviewLifetime.TotalMinutes:0} minutes answered, within the current period.");
    }

    /// <summary>Stripe's now for this subscription: its test clock's time when it runs on one, else ours, in whole seconds.</summary>
    private async Task<DateTimeOffset> NowAsync(global::Stripe.Subscription subscription, CancellationToken ct)
    {
        var now = subscription.TestClockId is { } testClock
            ? new DateTimeOffset(DateTime.SpecifyKind((await stripe.V1.TestHelpers.TestClocks.GetAsync(testClock, cancellationToken: ct)).FrozenTime, DateTimeKind.Utc))
            : clock.GetUtcNow();
        return DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
    }

    /// <summary>The named subscription of the customer, or its current one; ended ones cannot change (409).</summary>
    private async Task<Subscription> CurrentAsync(ChangeOrder order, CancellationToken ct)
    {
        var query = db.Subscriptions.AsNoTracking().Where(s => s.AppId == order.AppId && s.CustomerId == order.CustomerId);
        var found = order.SubscriptionId is not null
            ? await query.SingleOrDefaultAsync(s => s.Id == order.SubscriptionId, ct)
            : await query.OrderByDescending(s => s.Status != SubscriptionStatus.Canceled && s.Status != SubscriptionStatus.IncompleteExpired)
                .ThenByDescending(s => s.Id).FirstOrDefaultAsync(ct);
        if (found is null) throw ApiException.NotFound("The subscription");
        if (!found.IsCurrent) throw ApiException.Conflict("The subscription has ended; subscribe again instead.");
        if (found.StripeSubscriptionId is null) throw ApiException.Conflict("The subscription has no Stripe subscription yet.");
        return found;
    }
}
