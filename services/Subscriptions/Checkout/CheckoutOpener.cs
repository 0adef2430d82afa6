using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.Stripe;
using Billing.Subscriptions.Customers;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Stripe;
using Stripe.Checkout;
using CheckoutSession = Billing.Subscriptions.Model.CheckoutSession;
using Customer = Billing.Subscriptions.Model.Customer;

namespace Billing.Subscriptions.Checkout;

/// <summary>
/// Opens Stripe Checkout in subscription mode for a customer and plan, at most one open session per
/// pair: a repeated call while a session is open and unchanged gets that session back.
/// </summary>
/// <remarks>
/// One transaction and one lock (<see cref="CustomerDirectory.LockKey"/>, the one that guards the customer's Stripe
/// customer too) per checkout. Under the lock one round trip reads what decides the call (the customer's Stripe
/// customer, a live subscription to the plan, the open session); then Stripe is asked (the customer's Stripe
/// customer on first need, the session); then the Stripe customer's id and the session row are written and committed
/// together. A returning customer's checkout is thus three round trips and one commit besides the Stripe call
/// (issue 12's benchmark: it was seven round trips, two locks and up to three commits).
/// </remarks>
public sealed class CheckoutOpener(SubscriptionsDbContext db, StripeClient stripe, CustomerDirectory customers, TimeProvider clock)
{
    /// <returns>The session, and whether it was opened by this call (false: the open one was returned).</returns>
    public async Task<(CheckoutResponse Session, bool Opened)> OpenAsync(CheckoutOrder order, CancellationToken ct)
    {
        var (plan, price) = (order.Item.Plan, order.Item.Price);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Calls for the same customer queue on the lock, so two cannot both find no open session and open two,
        // nor both find no Stripe customer and record two.
        var state = await ReadLockedAsync(order, ct);
        if (state.Subscribed)
            throw ApiException.Conflict("The customer already has a subscription to this plan: change, cancel or resume it instead.");
        var now = clock.GetUtcNow();
        if (state.Open is { } open)
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
            // Saved before the new row is added: the unique index on open sessions per customer and plan is not in
            // the EF model, so nothing else would order this update before that insert. (Rare path: one more round trip.)
            open.Status = CheckoutStatus.Expired;
            await db.SaveChangesAsync(ct);
        }

        // First need of a Stripe customer: made now, recorded with the session row below (one commit). Read as
        // missing under the lock, so no one else records one meanwhile; its key is our id, so a retry gets the same.
        var stripeCustomer = state.StripeCustomerId;
        if (stripeCustomer is null)
        {
            stripeCustomer = await customers.CreateStripeCustomerAsync(order.Customer, ct);
            RecordStripeCustomer(order.Customer, stripeCustomer);
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
        // One batch: the Stripe customer recorded, the new session; then one commit.
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (new CheckoutResponse(row.StripeSessionId, row.Url, row.ExpiresAt), true);
    }

    private sealed record LockedState(string? StripeCustomerId, bool Subscribed, CheckoutSession? Open);

    /// <summary>
    /// Takes the customer's lock and reads, in the same round trip, its Stripe customer, whether it has a live
    /// subscription to the plan, and its open session for the plan. The statements of a batch run one after the
    /// other, each with its own snapshot (read committed), so the reads see everything the lock's previous holder
    /// committed. The open session comes back tracked, as an EF query would have it.
    /// </summary>
    private async Task<LockedState> ReadLockedAsync(CheckoutOrder order, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var batch = new NpgsqlBatch(connection, (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction())
        {
            BatchCommands =
            {
                Command("select pg_advisory_xact_lock(hashtextextended($1, 0))", CustomerDirectory.LockKey(order.Customer)),
                Command($"""
                    select c.stripe_customer_id, exists (
                        select 1 from subscriptions.subscriptions s
                        where s.customer_id = c.id and s.app_id = c.app_id and s.plan_id = $2 and s.status not in ($3, $4))
                    from subscriptions.customers c where c.id = $1
                    """, order.Customer.Id, order.Item.Plan.Id, nameof(SubscriptionStatus.Canceled), nameof(SubscriptionStatus.IncompleteExpired)),
                Command("""
                    select id, app_id, price_id, quantity, trial_days, stripe_session_id, url, expires_at, created_at
                    from subscriptions.checkout_sessions where customer_id = $1 and plan_id = $2 and status = 'open'
                    """, order.Customer.Id, order.Item.Plan.Id),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        if (!await reader.ReadAsync(ct)) throw new InvalidOperationException($"Customer {order.Customer.Id} vanished.");
        var stripeCustomerId = reader.IsDBNull(0) ? null : reader.GetString(0);
        var subscribed = reader.GetBoolean(1);
        await reader.NextResultAsync(ct);
        CheckoutSession? open = null;
        if (await reader.ReadAsync(ct))
        {
            open = new CheckoutSession
            {
                Id = reader.GetString(0), AppId = reader.GetString(1), CustomerId = order.Customer.Id, PlanId = order.Item.Plan.Id,
                PriceId = reader.GetString(2), Quantity = reader.GetInt32(3), TrialDays = reader.IsDBNull(4) ? null : reader.GetInt32(4),
                StripeSessionId = reader.GetString(5), Url = reader.GetString(6), Status = CheckoutStatus.Open,
                ExpiresAt = reader.GetFieldValue<DateTimeOffset>(7), CreatedAt = reader.GetFieldValue<DateTimeOffset>(8),
            };
        }
        await reader.DisposeAsync();
        if (open is not null) db.CheckoutSessions.Attach(open);
        return new LockedState(stripeCustomerId, subscribed, open);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }

    /// <summary>Stages the Stripe customer's id on the customer row, saved with the session (the lock makes it the only writer).</summary>
    private void RecordStripeCustomer(Customer customer, string stripeCustomerId)
    {
        if (db.Entry(customer).State == EntityState.Detached) db.Customers.Attach(customer);
        customer.StripeCustomerId = stripeCustomerId;
    }
}
