using Billing.Stripe.Tests.Client;
using Stripe;
using Stripe.Checkout;
using Stripe.TestHelpers;
using Xunit;

namespace Billing.Stripe.Tests.Sandbox;

/// <summary>
/// Subscription changes through Stripe.net: <c>InvoiceService.CreatePreviewAsync</c> right before
/// <c>SubscriptionService.UpdateAsync</c> with the same params and proration date shows exactly what
/// the resulting invoice charges. Every test runs on its own test clock, so periods are fixed:
/// subscribed 15 Jan 2027 (a 31-day month), changed 25 Jan, i.e. 21/31 of the period left.
/// </summary>
public sealed class ProrationTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    static readonly DateTime Start = new(2027, 1, 15, 0, 0, 0, DateTimeKind.Utc);
    static readonly DateTime ChangeAt = new(2027, 1, 25, 0, 0, 0, DateTimeKind.Utc);
    readonly StripeClient _stripe = sandbox.Client;

    sealed record Setup(string Clock, string Customer, Subscription Subscription, string Product, Price Monthly, Price Yearly, Price Premium)
    {
        public string ItemId => Subscription.Items.Data[0].Id;
    }

    /// <summary>A customer on a clock subscribed through checkout to <paramref name="startOn"/>, with the clock moved to <see cref="ChangeAt"/>.</summary>
    async Task<Setup> SubscribeAsync(Func<Setup, Price> startOn, long quantity = 1, string card = "4242424242424242")
    {
        var clock = await _stripe.V1.TestHelpers.TestClocks.CreateAsync(new TestClockCreateOptions { FrozenTime = Start });
        var customer = await _stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "p@example.com", TestClock = clock.Id });
        var product = await _stripe.V1.Products.CreateAsync(new ProductCreateOptions { Name = "Pro" });
        Task<Price> PriceAsync(long amount, string interval) => _stripe.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Product = product.Id, Currency = "usd", UnitAmount = amount, Recurring = new PriceRecurringOptions { Interval = interval },
        });
        var setup = new Setup(clock.Id, customer.Id, null!, product.Id, await PriceAsync(1000, "month"), await PriceAsync(10000, "year"),
            await PriceAsync(3000, "month"));
        var session = await _stripe.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription", Customer = customer.Id, SuccessUrl = "https://app.example/ok",
            LineItems = [new SessionLineItemOptions { Price = startOn(setup).Id, Quantity = quantity }],
        });
        var complete = new BaseOptions();
        complete.AddExtraParam("card", card);
        var done = await _stripe.RequestAsync<Session>(HttpMethod.Post, $"/v1/test_helpers/checkout/sessions/{session.Id}/complete",
            complete, new RequestOptions(), default);
        await AdvanceAsync(clock.Id, ChangeAt);
        return setup with { Subscription = await _stripe.V1.Subscriptions.GetAsync(done.SubscriptionId) };
    }

    async Task AdvanceAsync(string clock, DateTime to)
    {
        await _stripe.V1.TestHelpers.TestClocks.AdvanceAsync(clock, new TestClockAdvanceOptions { FrozenTime = to });
        for (var i = 0; i < 400 && (await _stripe.V1.TestHelpers.TestClocks.GetAsync(clock)).Status != "ready"; i++) await Task.Delay(25);
        Assert.Equal("ready", (await _stripe.V1.TestHelpers.TestClocks.GetAsync(clock)).Status);
    }

    Task<Invoice> PreviewAsync(Setup s, InvoiceSubscriptionDetailsItemOptions item, string? behavior = null) =>
        _stripe.V1.Invoices.CreatePreviewAsync(new InvoiceCreatePreviewOptions
        {
            Customer = s.Customer,
            Subscription = s.Subscription.Id,
            SubscriptionDetails = new InvoiceSubscriptionDetailsOptions
            {
                Items = [item], ProrationBehavior = behavior, ProrationDate = ChangeAt,
            },
        });

    Task<Subscription> UpdateAsync(Setup s, SubscriptionItemOptions item, string? behavior = null) =>
        _stripe.V1.Subscriptions.UpdateAsync(s.Subscription.Id, new SubscriptionUpdateOptions
        {
            Items = [item], ProrationBehavior = behavior, ProrationDate = ChangeAt,
        });

    async Task<List<InvoiceItem>> PendingItemsAsync(string customer) =>
        (await _stripe.V1.InvoiceItems.ListAsync(new InvoiceItemListOptions { Customer = customer, Pending = true })).Data;

    static long[] ProrationAmounts(Invoice invoice) =>
        invoice.Lines.Data.Where(l => l.Parent.SubscriptionItemDetails.Proration).Select(l => l.Amount).ToArray();

    [Fact]
    public async Task Quantity_1_to_3_mid_period_prorates_onto_the_next_invoice_which_charges_what_the_preview_showed()
    {
        var s = await SubscribeAsync(x => x.Monthly);
        var preview = await PreviewAsync(s, new InvoiceSubscriptionDetailsItemOptions { Id = s.ItemId, Quantity = 3 });

        // 1000 × 21/31 = 677.42 credited, 3000 × 21/31 = 2032.26 charged, plus the next month for 3 seats.
        Assert.StartsWith("upcoming_in_", preview.Id);
        Assert.Equal("upcoming", preview.BillingReason);
        Assert.Equal([-677, 2032], ProrationAmounts(preview));
        Assert.Equal(-677 + 2032 + 3000, preview.AmountDue);
        Assert.Equal(preview.AmountDue, preview.Total);
        Assert.Equal(new DateTime(2027, 2, 15, 0, 0, 0, DateTimeKind.Utc), preview.PeriodStart);
        Assert.Equal(new DateTime(2027, 3, 15, 0, 0, 0, DateTimeKind.Utc), preview.PeriodEnd);
        Assert.Contains(preview.Lines.Data, l => l.Description == "Unused time on Pro after 25 Jan 2027");
        Assert.Contains(preview.Lines.Data, l => l.Description == "Remaining time on 3 × Pro after 25 Jan 2027");

        // The preview changed nothing.
        Assert.Equal(1, (await _stripe.V1.Subscriptions.GetAsync(s.Subscription.Id)).Items.Data[0].Quantity);
        Assert.Empty(await PendingItemsAsync(s.Customer));

        var updated = await UpdateAsync(s, new SubscriptionItemOptions { Id = s.ItemId, Quantity = 3 });
        Assert.Equal(3, updated.Items.Data[0].Quantity);
        Assert.Equal(s.Subscription.LatestInvoiceId, updated.LatestInvoiceId); // nothing invoiced now
        var pending = await PendingItemsAsync(s.Customer);
        Assert.Equal([-677, 2032], pending.Select(i => i.Amount).Order());
        Assert.All(pending, i => Assert.True(i.Proration));

        await AdvanceAsync(s.Clock, new DateTime(2027, 2, 15, 1, 0, 0, DateTimeKind.Utc));
        var renewal = await _stripe.V1.Invoices.GetAsync((await _stripe.V1.Subscriptions.GetAsync(s.Subscription.Id)).LatestInvoiceId);
        Assert.Equal("subscription_cycle", renewal.BillingReason);
        Assert.Equal("paid", renewal.Status);
        Assert.Equal(preview.AmountDue, renewal.AmountDue);
        Assert.Equal(preview.AmountDue, renewal.AmountPaid);
        Assert.Equal(ProrationAmounts(preview).Order(), ProrationAmounts(renewal).Order());
        Assert.Empty(await PendingItemsAsync(s.Customer));
    }

    [Fact]
    public async Task Monthly_to_yearly_mid_period_bills_now_with_credit_for_the_unused_month_and_restarts_the_cycle()
    {
        var s = await SubscribeAsync(x => x.Monthly);
        var preview = await PreviewAsync(s, new InvoiceSubscriptionDetailsItemOptions { Id = s.ItemId, Price = s.Yearly.Id });

        Assert.Equal("subscription_update", preview.BillingReason);
        Assert.Equal([-677], ProrationAmounts(preview));
        Assert.Equal(10000 - 677, preview.AmountDue);

        var updated = await UpdateAsync(s, new SubscriptionItemOptions { Id = s.ItemId, Price = s.Yearly.Id });
        Assert.Equal(ChangeAt, updated.BillingCycleAnchor);
        Assert.Equal(ChangeAt, updated.Items.Data[0].CurrentPeriodStart);
        Assert.Equal(ChangeAt.AddYears(1), updated.Items.Data[0].CurrentPeriodEnd);
        var invoice = await _stripe.V1.Invoices.GetAsync(updated.LatestInvoiceId);
        Assert.NotEqual(s.Subscription.LatestInvoiceId, invoice.Id);
        Assert.Equal("subscription_update", invoice.BillingReason);
        Assert.Equal("paid", invoice.Status);
        Assert.Equal(preview.AmountDue, invoice.AmountDue);
        Assert.Equal(preview.AmountDue, invoice.AmountPaid);
        Assert.Equal(preview.Lines.Data.Select(l => l.Amount).Order(), invoice.Lines.Data.Select(l => l.Amount).Order());
        Assert.Empty(await PendingItemsAsync(s.Customer));
    }

    [Fact]
    public async Task Upgrade_with_always_invoice_charges_the_previewed_difference_at_once_with_its_events()
    {
        var s = await SubscribeAsync(x => x.Monthly);
        var preview = await PreviewAsync(s, new InvoiceSubscriptionDetailsItemOptions { Id = s.ItemId, Price = s.Premium.Id }, "always_invoice");

        // Only the prorations are billed now: 2032 - 677.
        Assert.Equal("subscription_update", preview.BillingReason);
        Assert.Equal(2, preview.Lines.Data.Count);
        Assert.Equal(1355, preview.AmountDue);

        var updated = await UpdateAsync(s, new SubscriptionItemOptions { Id = s.ItemId, Price = s.Premium.Id }, "always_invoice");
        Assert.Equal(s.Premium.Id, updated.Items.Data[0].Price.Id);
        Assert.Equal(new DateTime(2027, 2, 15, 0, 0, 0, DateTimeKind.Utc), updated.Items.Data[0].CurrentPeriodEnd); // cycle kept
        var invoice = await _stripe.V1.Invoices.GetAsync(updated.LatestInvoiceId);
        Assert.Equal("paid", invoice.Status);
        Assert.Equal(preview.AmountDue, invoice.AmountDue);
        Assert.Equal(preview.AmountDue, invoice.AmountPaid);

        var events = (await _stripe.V1.Events.ListAsync(new EventListOptions { Limit = 100 })).Data;
        foreach (var type in new[] { "invoice.created", "invoice.finalized", "invoice.paid" })
            Assert.Contains(events, e => e.Type == type && (e.Data.Object as Invoice)?.Id == invoice.Id);
        var subUpdated = Assert.Single(events, e => e.Type == "customer.subscription.updated" && e.Request?.Id is not null &&
            (e.Data.Object as Subscription)?.Id == s.Subscription.Id);
        string previous = subUpdated.Data.PreviousAttributes.ToString();
        Assert.Contains("items", previous);
        Assert.Contains("latest_invoice", previous);
    }

    [Fact]
    public async Task Downgrade_with_always_invoice_pays_nothing_and_leaves_the_credit_on_the_customer_balance_for_the_next_invoice()
    {
        var s = await SubscribeAsync(x => x.Premium);
        var preview = await PreviewAsync(s, new InvoiceSubscriptionDetailsItemOptions { Id = s.ItemId, Price = s.Monthly.Id }, "always_invoice");
        Assert.Equal(-1355, preview.Total);
        Assert.Equal(0, preview.AmountDue);

        var updated = await UpdateAsync(s, new SubscriptionItemOptions { Id = s.ItemId, Price = s.Monthly.Id }, "always_invoice");
        var invoice = await _stripe.V1.Invoices.GetAsync(updated.LatestInvoiceId);
        Assert.Equal("paid", invoice.Status);
        Assert.Equal(preview.AmountDue, invoice.AmountDue);
        Assert.Equal(-1355, invoice.Total);
        Assert.Equal(-1355, invoice.EndingBalance);
        Assert.Equal(-1355, (await _stripe.V1.Customers.GetAsync(s.Customer)).Balance);

        // The next invoice (1000) is paid from the credit: the preview of it says so, and so does the renewal.
        var next = await _stripe.V1.Invoices.CreatePreviewAsync(new InvoiceCreatePreviewOptions { Subscription = s.Subscription.Id });
        Assert.Equal(1000, next.Total);
        Assert.Equal(-1355, next.StartingBalance);
        Assert.Equal(0, next.AmountDue);
        await AdvanceAsync(s.Clock, new DateTime(2027, 2, 15, 1, 0, 0, DateTimeKind.Utc));
        var renewal = await _stripe.V1.Invoices.GetAsync((await _stripe.V1.Subscriptions.GetAsync(s.Subscription.Id)).LatestInvoiceId);
        Assert.Equal(next.AmountDue, renewal.AmountDue);
        Assert.Equal("paid", renewal.Status);
        Assert.Equal(-355, renewal.EndingBalance);
        Assert.Equal(-355, (await _stripe.V1.Customers.GetAsync(s.Customer)).Balance);
    }

    [Fact]
    public async Task Downgrade_with_create_prorations_carries_the_credit_to_the_next_invoice()
    {
        var s = await SubscribeAsync(x => x.Premium);
        var preview = await PreviewAsync(s, new InvoiceSubscriptionDetailsItemOptions { Id = s.ItemId, Price = s.Monthly.Id });
        Assert.Equal([-2032, 677], ProrationAmounts(preview).Order());
        Assert.Equal(1000 - 1355, preview.Total);
        Assert.Equal(0, preview.AmountDue);

        await UpdateAsync(s, new SubscriptionItemOptions { Id = s.ItemId, Price = s.Monthly.Id });
        await AdvanceAsync(s.Clock, new DateTime(2027, 2, 15, 1, 0, 0, DateTimeKind.Utc));
        var renewal = await _stripe.V1.Invoices.GetAsync((await _stripe.V1.Subscriptions.GetAsync(s.Subscription.Id)).LatestInvoiceId);
        Assert.Equal(preview.AmountDue, renewal.AmountDue);
        Assert.Equal(preview.Total, renewal.Total);
        Assert.Equal(-355, (await _stripe.V1.Customers.GetAsync(s.Customer)).Balance);
    }

    [Fact]
    public async Task An_immediate_charge_that_fails_leaves_the_invoice_open_and_the_subscription_past_due()
    {
        var s = await SubscribeAsync(x => x.Monthly, card: "4000000000000341");
        var updated = await UpdateAsync(s, new SubscriptionItemOptions { Id = s.ItemId, Quantity = 2 }, "always_invoice");

        Assert.Equal("past_due", updated.Status);
        var invoice = await _stripe.V1.Invoices.GetAsync(updated.LatestInvoiceId);
        Assert.Equal("open", invoice.Status);
        Assert.Equal(1355 - 677, invoice.AmountDue); // 2000 × 21/31 = 1354.84 charged, 677 credited
        Assert.Equal(1, invoice.AttemptCount);
        Assert.NotNull(invoice.NextPaymentAttempt);
        var failed = await _stripe.V1.Events.ListAsync(new EventListOptions { Type = "invoice.payment_failed", Limit = 100 });
        Assert.Contains(failed.Data, e => (e.Data.Object as Invoice)?.Id == invoice.Id);
    }

    [Fact]
    public async Task Resetting_the_billing_cycle_anchor_to_now_bills_a_whole_new_period_less_the_unused_one()
    {
        var s = await SubscribeAsync(x => x.Monthly);
        var preview = await _stripe.V1.Invoices.CreatePreviewAsync(new InvoiceCreatePreviewOptions
        {
            Subscription = s.Subscription.Id,
            SubscriptionDetails = new InvoiceSubscriptionDetailsOptions { BillingCycleAnchor = new InvoiceSubscriptionDetailsBillingCycleAnchorOptions { Type = "now" }, ProrationDate = ChangeAt },
        });
        Assert.Equal(1000 - 677, preview.AmountDue);

        var updated = await _stripe.V1.Subscriptions.UpdateAsync(s.Subscription.Id, new SubscriptionUpdateOptions
        {
            BillingCycleAnchor = new SubscriptionBillingCycleAnchorOptions { Type = "now" }, ProrationDate = ChangeAt,
        });
        Assert.Equal(ChangeAt, updated.BillingCycleAnchor);
        Assert.Equal(ChangeAt.AddMonths(1), updated.Items.Data[0].CurrentPeriodEnd);
        Assert.Equal(preview.AmountDue, (await _stripe.V1.Invoices.GetAsync(updated.LatestInvoiceId)).AmountPaid);
    }

    [Fact]
    public async Task Bad_change_params_are_Stripe_errors_and_change_nothing()
    {
        var s = await SubscribeAsync(x => x.Monthly);
        var outside = await Assert.ThrowsAsync<StripeException>(() => _stripe.V1.Invoices.CreatePreviewAsync(new InvoiceCreatePreviewOptions
        {
            Subscription = s.Subscription.Id,
            SubscriptionDetails = new InvoiceSubscriptionDetailsOptions
            {
                Items = [new InvoiceSubscriptionDetailsItemOptions { Id = s.ItemId, Quantity = 2 }], ProrationDate = Start.AddDays(-1),
            },
        }));
        Assert.Equal("subscription_details[proration_date]", outside.StripeError.Param);
        var missing = await Assert.ThrowsAsync<StripeException>(() => UpdateAsync(s, new SubscriptionItemOptions { Id = "si_nope", Quantity = 2 }));
        Assert.Equal("resource_missing", missing.StripeError.Code);
        Assert.Equal(1, (await _stripe.V1.Subscriptions.GetAsync(s.Subscription.Id)).Items.Data[0].Quantity);
    }
}
