using System.Text.Json;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.EndToEnd;

/// <summary>
/// <c>POST /billing/subscription/change</c> through the gateway: the preview is Stripe's invoice preview
/// of the same change, and the invoice the change then makes in the sandbox charges exactly that.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class SubscriptionChangeTests(SystemFixture system) : IClassFixture<SystemFixture>
{
    [Fact]
    public async Task Monthly_to_yearly_bills_now_what_the_preview_said_and_starts_a_yearly_cycle()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps, monthlyCents: 3100, yearlyCents: 31000);
        var clock = await steps.ClockAsync();
        var customer = await steps.CustomerAsync(clock.Id);
        await steps.PayAsync(await steps.SubscribeAsync(customer, plan.Id));
        var monthly = await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));
        // Ten days into the month: a third of it used, the rest credited.
        await steps.AdvanceAsync(clock.Id, clock.Time.AddDays(10));

        var preview = await steps.Client.PostAsync(steps.Path("subscription/change"), new { customerId = customer, interval = "year", preview = true }, 200);

        var prorationDate = preview.GetProperty("prorationDate").GetDateTimeOffset();
        Assert.Equal(clock.Time.AddDays(10), prorationDate);
        Assert.Equal("usd", preview.GetProperty("currency").GetString());
        var lines = preview.GetProperty("lines").EnumerateArray().ToList();
        var credit = Assert.Single(lines, l => l.GetProperty("proration").GetBoolean()).GetProperty("amountCents").GetInt64();
        var period = monthly.GetProperty("currentPeriodEnd").GetDateTimeOffset() - monthly.GetProperty("currentPeriodStart").GetDateTimeOffset();
        var unused = monthly.GetProperty("currentPeriodEnd").GetDateTimeOffset() - prorationDate;
        Assert.Equal(-Math.Round(3100 * unused.TotalSeconds / period.TotalSeconds, MidpointRounding.AwayFromZero), credit);
        Assert.Equal(31000 + credit, preview.GetProperty("amountDueCents").GetInt64());
        // A preview changes nothing.
        Assert.Equal("month", (await steps.StripeSubscriptionAsync(monthly)).GetProperty("items").GetProperty("data")[0]
            .GetProperty("price").GetProperty("recurring").GetProperty("interval").GetString());

        var changed = await steps.Client.PostAsync(steps.Path("subscription/change"),
            new { customerId = customer, interval = "year", prorationDate }, 200);

        Assert.Equal((monthly.GetProperty("id").GetString(), plan.Id, plan.YearlyPriceId, "year", "active"),
            (changed.GetProperty("id").GetString(), changed.GetProperty("planId").GetString(), changed.GetProperty("priceId").GetString(),
                changed.GetProperty("interval").GetString(), changed.GetProperty("status").GetString()));
        Assert.Equal(prorationDate, changed.GetProperty("currentPeriodStart").GetDateTimeOffset());
        Assert.Equal(prorationDate.AddYears(1), changed.GetProperty("currentPeriodEnd").GetDateTimeOffset());
        var invoice = await LatestInvoiceAsync(steps, changed);
        Assert.Equal(("subscription_update", "paid"), (invoice.GetProperty("billing_reason").GetString(), invoice.GetProperty("status").GetString()));
        Assert.Equal(preview.GetProperty("amountDueCents").GetInt64(), invoice.GetProperty("amount_paid").GetInt64());
        Assert.Equal(lines.Select(l => l.GetProperty("amountCents").GetInt64()).Order(),
            invoice.GetProperty("lines").GetProperty("data").EnumerateArray().Select(l => l.GetProperty("amount").GetInt64()).Order());

        // The webhooks that follow find the change applied; the events Usage and the gateway read say yearly.
        var after = await steps.SubscriptionEventuallyAsync(customer, s => s.GetProperty("interval").GetString() == "year");
        Assert.Equal(plan.YearlyPriceId, after.GetProperty("priceId").GetString());
        var events = await system.SubscriptionChangesAsync(changed.GetProperty("id").GetString()!);
        Assert.Equal(("year", plan.YearlyPriceId), (events[^1].Interval, events[^1].PriceId));
    }

    [Fact]
    public async Task Quantity_one_to_three_charges_the_previewed_proration_for_two_more_seats_at_once()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps, monthlyCents: 2900);
        var customer = await steps.CustomerAsync();
        await steps.PayAsync(await steps.SubscribeAsync(customer, plan.Id));
        var one = await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));

        // On the wall clock: the preview's proration date, given back, makes the change charge exactly the preview.
        var preview = await steps.Client.PostAsync(steps.Path("subscription/change"), new { customerId = customer, quantity = 3, preview = true }, 200);
        var amount = preview.GetProperty("amountDueCents").GetInt64();
        Assert.InRange(amount, 2 * 2900 - 10, 2 * 2900);
        var changed = await steps.Client.PostAsync(steps.Path("subscription/change"),
            new { customerId = customer, quantity = 3, prorationDate = preview.GetProperty("prorationDate").GetString() }, 200);

        Assert.Equal((3, plan.MonthlyPriceId, "month"), (changed.GetProperty("quantity").GetInt32(), changed.GetProperty("priceId").GetString(),
            changed.GetProperty("interval").GetString()));
        Assert.Equal(one.GetProperty("currentPeriodEnd").GetDateTimeOffset(), changed.GetProperty("currentPeriodEnd").GetDateTimeOffset());
        var stripe = await steps.StripeSubscriptionAsync(changed);
        Assert.Equal(3, stripe.GetProperty("items").GetProperty("data")[0].GetProperty("quantity").GetInt32());
        var invoice = await LatestInvoiceAsync(steps, changed);
        Assert.Equal(("subscription_update", "paid", amount), (invoice.GetProperty("billing_reason").GetString(),
            invoice.GetProperty("status").GetString(), invoice.GetProperty("amount_paid").GetInt64()));

        // Asked again, it is no change: nothing is charged twice.
        var again = await steps.Client.PostAsync(steps.Path("subscription/change"), new { customerId = customer, quantity = 3 }, 400);
        Assert.Equal("validation_failed", again.GetProperty("code").GetString());
        Assert.Equal(invoice.GetProperty("id").GetString(), (await steps.StripeSubscriptionAsync(changed)).GetProperty("latest_invoice").GetString());
    }

    [Fact]
    public async Task An_upgrade_to_another_plan_keeps_the_interval_and_cycle_and_charges_the_previewed_difference()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var basic = await system.Plans.CreateAsync(steps, monthlyCents: 1000, yearlyCents: 10000);
        var premium = await system.Plans.CreateAsync(steps, monthlyCents: 3000, yearlyCents: 30000);
        var clock = await steps.ClockAsync();
        var customer = await steps.CustomerAsync(clock.Id);
        await steps.PayAsync(await steps.SubscribeAsync(customer, basic.Id));
        var before = await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));
        await steps.AdvanceAsync(clock.Id, clock.Time.AddDays(15));

        var preview = await steps.Client.PostAsync(steps.Path("subscription/change"), new { customerId = customer, planId = premium.Id, preview = true }, 200);
        var lines = preview.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("amountCents").GetInt64()).ToList();
        // Credit for the unused basic time, charge for the same time on premium: the difference only.
        Assert.Equal(2, lines.Count);
        Assert.Equal(lines.Sum(), preview.GetProperty("amountDueCents").GetInt64());
        Assert.InRange(preview.GetProperty("amountDueCents").GetInt64(), 1, 2000);
        var changed = await steps.Client.PostAsync(steps.Path("subscription/change"),
            new { customerId = customer, planId = premium.Id, prorationDate = preview.GetProperty("prorationDate").GetString() }, 200);

        Assert.Equal((premium.Id, premium.MonthlyPriceId, "month"), (changed.GetProperty("planId").GetString(), changed.GetProperty("priceId").GetString(),
            changed.GetProperty("interval").GetString()));
        Assert.Equal(before.GetProperty("currentPeriodEnd").GetDateTimeOffset(), changed.GetProperty("currentPeriodEnd").GetDateTimeOffset());
        var invoice = await LatestInvoiceAsync(steps, changed);
        Assert.Equal(preview.GetProperty("amountDueCents").GetInt64(), invoice.GetProperty("amount_paid").GetInt64());
        // Stripe's subscription names our new plan too, for whoever reads it there.
        Assert.Equal(premium.Id, (await steps.StripeSubscriptionAsync(changed)).GetProperty("metadata").GetProperty("plan_id").GetString());
    }

    [Fact]
    public async Task Another_apps_plan_is_not_found_and_refusals_name_their_code()
    {
        var steps = new BillingSteps(system, await system.NewTenantAsync());
        var other = new BillingSteps(system, await system.NewTenantAsync());
        var plan = await system.Plans.CreateAsync(steps);
        var theirs = await system.Plans.CreateAsync(other);
        var customer = await steps.CustomerAsync();
        await steps.PayAsync(await steps.SubscribeAsync(customer, plan.Id));
        var active = await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));

        var notFound = await steps.Client.PostAsync(steps.Path("subscription/change"), new { customerId = customer, planId = theirs.Id }, 404);
        Assert.Equal("not_found", notFound.GetProperty("code").GetString());
        await steps.Client.PostAsync(steps.Path("subscription/change"), new { customerId = customer, planId = theirs.Id, preview = true }, 404);
        // The other app cannot change (or even see) this customer's subscription.
        await other.Client.PostAsync(other.Path("subscription/change"), new { customerId = customer, quantity = 2 }, 404);

        var same = await steps.Client.PostAsync(steps.Path("subscription/change"), new { customerId = customer, planId = plan.Id, interval = "month" }, 400);
        Assert.Equal("validation_failed", same.GetProperty("code").GetString());
        var nothing = await steps.Client.PostAsync(steps.Path("subscription/change"), new { customerId = customer }, 400);
        Assert.True(nothing.GetProperty("errors").TryGetProperty("planId", out _), nothing.ToString());
        var stale = await steps.Client.PostAsync(steps.Path("subscription/change"),
            new { customerId = customer, quantity = 2, prorationDate = DateTimeOffset.UtcNow.AddHours(-2) }, 400);
        Assert.True(stale.GetProperty("errors").TryGetProperty("prorationDate", out _), stale.ToString());

        // Ended in Stripe: once that is known here, a change is a conflict.
        using (var deleted = await system.Sandbox.Client.DeleteAsync($"/v1/subscriptions/{active.GetProperty("stripe").GetProperty("subscriptionId").GetString()}"))
            Assert.True(deleted.IsSuccessStatusCode);
        await steps.SubscriptionEventuallyAsync(customer, BillingSteps.Status("canceled"));
        var ended = await steps.Client.PostAsync(steps.Path("subscription/change"), new { customerId = customer, quantity = 2 }, 409);
        Assert.Equal("conflict", ended.GetProperty("code").GetString());
    }

    /// <summary>The invoice Stripe (the sandbox) made last for the subscription.</summary>
    private async Task<JsonElement> LatestInvoiceAsync(BillingSteps steps, JsonElement local)
    {
        var stripe = await steps.StripeSubscriptionAsync(local);
        return await system.Sandbox.GetAsync($"/v1/invoices/{stripe.GetProperty("latest_invoice").GetString()}");
    }
}
