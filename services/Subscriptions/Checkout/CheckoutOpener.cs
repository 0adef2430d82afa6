using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.Stripe;
using Billing.Subscriptions.Customers;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Microsoft.EntityFrameworkCore;
using Stripe;
using Stripe.Checkout;
using CheckoutSession = Billing.Subscriptions.Model.CheckoutSession;

namespace Billing.Subscriptions.Checkout;

/// <summary>
/// Opens Stripe Checkout in subscription mode for a customer and plan, at most one open session per
/// pair: a repeated call while a session is open and unchanged gets that session back.
/// </summary>
public sealed class CheckoutOpener(SubscriptionsDbContext db, StripeClient stripe, CustomerDirectory customers, TimeProvider clock)
{
    /// <returns>The session, and whether it was opened by this call (false: the open one was returned).</returns>
    public async Task<(CheckoutResponse Session, bool Opened)> OpenAsync(CheckoutOrder order, CancellationToken ct)
    {
        var (plan, price) = (order.Item.Plan, order.Item.Price);
        if (await db.Subscriptions.AnyAsync(s => s.AppId == order.AppId && s.CustomerId == order.Customer.Id && s.PlanId == plan.Id
                && s.Status != SubscriptionStatus.Canceled && s.Status != SubscriptionStatus.IncompleteExpired, ct))
            throw ApiException.Conflict("The customer already has a subscription to this plan: change, cancel or resume it instead.");

        var stripeCustomer = await customers.EnsureStripeCustomerAsync(order.Customer, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Calls for the same customer queue here, so two cannot both find no open session and open two.
        await db.LockAsync("checkout:" + order.Customer.Id, ct);
        var now = clock.GetUtcNow();
        var open = await db.CheckoutSessions.SingleOrDefaultAsync(s => s.CustomerId == order.Customer.Id && s.PlanId == plan.Id && s.Status == CheckoutStatus.Open, ct);
        if (open is not null)
        {
            // Stripe decides whether it can still be paid: it may have been paid or expired before its webhook reached us.
            var current = await stripe.V1.Checkout.Sessions.GetAsync(open.StripeSessionId, cancellationToken: ct);
            if (current.Status == "complete")
            {
                open.Status = CheckoutStatus.Complete;
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
                throw ApiException.Conflict("The customer just paid a checkout for this plan; the subscription is being recorded.");
            }
            if (current.Status == "open" && open.IsUsable(now) && open.PriceId == price.Id && open.Quantity == order.Quantity && open.TrialDays == order.TrialDays)
                return (new CheckoutResponse(open.StripeSessionId, open.Url, open.ExpiresAt), false);
            // Expired, or asked for something else: close it in Stripe so it cannot be paid, then open the new one.
            if (current.Status == "open") await stripe.V1.Checkout.Sessions.ExpireAsync(open.StripeSessionId, cancellationToken: ct);
            open.Status = CheckoutStatus.Expired;
            await db.SaveChangesAsync(ct);
        }

        var checkoutId = Ids.New("chk");
        var metadata = new Dictionary<string, string>(order.Metadata ?? new Dictionary<string, string>())
        {
            ["customer_id"] = order.Customer.Id, ["plan_id"] = plan.Id, ["price_id"] = price.Id, ["checkout_id"] = checkoutId,
        };
        var trialDays = order.TrialDays ?? (plan.TrialDays > 0 ? plan.TrialDays : null);
        var session = await stripe.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = stripeCustomer,
            LineItems = [new SessionLineItemOptions { Price = price.StripePriceId, Quantity = order.Quantity }],
            SuccessUrl = order.SuccessUrl,
            CancelUrl = order.CancelUrl,
            ClientReferenceId = order.Customer.Id,
            Metadata = StripeConventions.AppMetadata(order.AppId, metadata),
            // The subscription carries the app too: the Webhooks service attributes its events (and its invoices') by it.
            SubscriptionData = new SessionSubscriptionDataOptions
            {
                Metadata = StripeConventions.AppMetadata(order.AppId, metadata),
                TrialPeriodDays = trialDays is > 0 ? trialDays : null,
            },
        }, StripeConventions.Change(IdempotencyKeys.From("checkout", checkoutId)), ct);

        var row = new CheckoutSession
        {
            Id = checkoutId, AppId = order.AppId, CustomerId = order.Customer.Id, PlanId = plan.Id, PriceId = price.Id,
            Quantity = order.Quantity, TrialDays = order.TrialDays, StripeSessionId = session.Id, Url = session.Url,
            ExpiresAt = new DateTimeOffset(DateTime.SpecifyKind(session.ExpiresAt, DateTimeKind.Utc)),
        };
        db.CheckoutSessions.Add(row);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (new CheckoutResponse(row.StripeSessionId, row.Url, row.ExpiresAt), true);
    }
}
