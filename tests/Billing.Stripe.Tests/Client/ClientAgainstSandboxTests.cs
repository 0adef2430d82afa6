using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>
/// Drives every billing endpoint through the typed client against the Stripe sandbox: what a
/// service sends is what the sandbox accepts, and what the sandbox answers reads into the models.
/// Each test makes its own objects, so tests share one sandbox without depending on each other.
/// </summary>
public sealed class ClientAgainstSandboxTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    private const string GoodCard = "4242424242424242";
    private readonly StripeClient _stripe = sandbox.Client;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    private Task<CheckoutSession> CompleteCheckoutAsync(string sessionId, string card = GoodCard) =>
        _stripe.RequestAsync<CheckoutSession>(HttpMethod.Post, $"v1/test_helpers/checkout/sessions/{sessionId}/complete", new { card });

    private async Task<Price> RecurringPriceAsync(long amount = 1500)
    {
        var product = await _stripe.Products.CreateAsync(new ProductCreateRequest { Name = Unique("plan") });
        return await _stripe.Prices.CreateAsync(new PriceCreateRequest
        {
            Currency = "usd",
            Product = product.Id,
            UnitAmount = amount,
            Recurring = new RecurringOptions { Interval = RecurringInterval.Month },
        });
    }

    [Fact]
    public async Task Customers_create_read_update_list_and_delete()
    {
        var email = Unique("c") + "@example.com";
        var created = await _stripe.Customers.CreateAsync(new CustomerCreateRequest
        {
            Email = email,
            Name = "Ada",
            Address = new AddressOptions { Country = "GB", Line1 = "1 Main St" },
            Metadata = new() { ["appId"] = "app_1", ["temp"] = "x" },
        });

        Assert.StartsWith("cus_", created.Id);
        Assert.Equal("GB", created.Address?.Country);

        var updated = await _stripe.Customers.UpdateAsync(created.Id, new CustomerUpdateRequest { Name = "Ada L", Metadata = new() { ["temp"] = null } });
        Assert.Equal("Ada L", updated.Name);
        Assert.Equal(new Dictionary<string, string> { ["appId"] = "app_1" }, updated.Metadata);

        var fetched = await _stripe.Customers.GetAsync(created.Id);
        Assert.Equal(email, fetched.Email);

        var list = await _stripe.Customers.ListAsync(new CustomerListRequest { Email = email });
        Assert.Equal(created.Id, Assert.Single(list.Data).Id);

        var deleted = await _stripe.Customers.DeleteAsync(created.Id);
        Assert.True(deleted.Deleted);
        Assert.Empty((await _stripe.Customers.ListAsync(new CustomerListRequest { Email = email })).Data);
    }

    [Fact]
    public async Task Auto_pager_walks_every_page()
    {
        var email = Unique("pager") + "@example.com";
        var ids = new HashSet<string>();
        for (var i = 0; i < 5; i++)
            ids.Add((await _stripe.Customers.CreateAsync(new CustomerCreateRequest { Email = email })).Id);

        var seen = new List<string>();
        await foreach (var customer in _stripe.Customers.ListAutoPagingAsync(new CustomerListRequest { Email = email, Limit = 2 }))
            seen.Add(customer.Id);

        Assert.Equal(5, seen.Count);
        Assert.Equal(ids, seen.ToHashSet());
        var firstPage = await _stripe.Customers.ListAsync(new CustomerListRequest { Email = email, Limit = 2 });
        Assert.True(firstPage.HasMore);
        Assert.Equal(2, firstPage.Data.Count);
    }

    [Fact]
    public async Task Products_and_prices_round_trip_with_expansion_lookup_keys_and_archiving()
    {
        var product = await _stripe.Products.CreateAsync(new ProductCreateRequest
        {
            Name = "Pro",
            Description = "All features",
            DefaultPriceData = new ProductDefaultPriceData { Currency = "usd", UnitAmount = 2900, Recurring = new RecurringOptions { Interval = RecurringInterval.Month } },
            MarketingFeatures = [new("Unlimited apps")],
            Metadata = new() { ["planId"] = "plan_pro" },
        });
        Assert.StartsWith("prod_", product.Id);
        Assert.NotNull(product.DefaultPrice);

        var expanded = await _stripe.Products.GetAsync(product.Id, new RequestOptions { Expand = ["default_price"] });
        Assert.True(expanded.DefaultPrice!.IsExpanded);
        Assert.Equal(2900, expanded.DefaultPrice.Object!.UnitAmount);
        Assert.Equal("month", expanded.DefaultPrice.Object.Recurring!.Interval);

        var lookupKey = Unique("pro_yearly");
        var yearly = await _stripe.Prices.CreateAsync(new PriceCreateRequest
        {
            Currency = "usd",
            Product = product.Id,
            UnitAmount = 29000,
            Recurring = new RecurringOptions { Interval = RecurringInterval.Year },
            LookupKey = lookupKey,
            Nickname = "Pro yearly",
            TaxBehavior = TaxBehavior.Exclusive,
        });
        Assert.Equal("recurring", yearly.Type);
        Assert.Equal(product.Id, yearly.Product!.Id);

        var byKey = await _stripe.Prices.ListAsync(new PriceListRequest { LookupKeys = [lookupKey] });
        Assert.Equal(yearly.Id, Assert.Single(byKey.Data).Id);

        var archived = await _stripe.Prices.UpdateAsync(yearly.Id, new PriceUpdateRequest { Active = false, Nickname = "old" });
        Assert.False(archived.Active);
        Assert.Equal("old", (await _stripe.Prices.GetAsync(yearly.Id)).Nickname);

        var active = await _stripe.Prices.ListAsync(new PriceListRequest { Product = product.Id, Active = true });
        Assert.DoesNotContain(active.Data, p => p.Id == yearly.Id);

        var renamed = await _stripe.Products.UpdateAsync(product.Id, new ProductUpdateRequest { Name = "Pro 2", Active = false });
        Assert.Equal("Pro 2", renamed.Name);
        Assert.Contains((await _stripe.Products.ListAsync(new ProductListRequest { Ids = [product.Id] })).Data, p => p.Id == product.Id);

        var bare = await _stripe.Products.CreateAsync(new ProductCreateRequest { Name = "No prices", Id = Unique("prod_custom") });
        Assert.True((await _stripe.Products.DeleteAsync(bare.Id)).Deleted);
    }

    [Fact]
    public async Task Subscription_checkout_to_cancellation_through_every_subscription_endpoint()
    {
        var price = await RecurringPriceAsync();
        var customer = await _stripe.Customers.CreateAsync(new CustomerCreateRequest { Email = Unique("sub") + "@example.com" });

        var session = await _stripe.CheckoutSessions.CreateAsync(new CheckoutSessionCreateRequest
        {
            Mode = CheckoutMode.Subscription,
            Customer = customer.Id,
            LineItems = [new() { Price = price.Id, Quantity = 1 }],
            SuccessUrl = "https://app.example/done?session={CHECKOUT_SESSION_ID}",
            CancelUrl = "https://app.example/cancel",
            ClientReferenceId = "order_1",
            SubscriptionData = new CheckoutSubscriptionData { Metadata = new() { ["appId"] = "app_1" } },
            Metadata = new() { ["appId"] = "app_1" },
        }, new RequestOptions { IdempotencyKey = IdempotencyKeys.From("checkout", customer.Id) });
        Assert.Equal("open", session.Status);
        Assert.Equal("https://app.example/done?session={CHECKOUT_SESSION_ID}", session.SuccessUrl);
        Assert.False(string.IsNullOrEmpty(session.Url));

        await CompleteCheckoutAsync(session.Id);

        var completed = await _stripe.CheckoutSessions.GetAsync(session.Id, new RequestOptions { Expand = ["line_items"] });
        Assert.Equal("complete", completed.Status);
        Assert.Equal("paid", completed.PaymentStatus);
        Assert.Equal(price.Id, Assert.Single(completed.LineItems!.Data).Price!.Id);
        var subscriptionId = completed.Subscription!.Id;

        var lineItems = await _stripe.CheckoutSessions.ListLineItemsAsync(session.Id);
        Assert.Equal(1500, Assert.Single(lineItems.Data).AmountTotal);
        Assert.Contains((await _stripe.CheckoutSessions.ListAsync(new CheckoutSessionListRequest { Customer = customer.Id })).Data, s => s.Id == session.Id);

        var subscription = await _stripe.Subscriptions.GetAsync(subscriptionId);
        Assert.Equal("active", subscription.Status);
        Assert.Equal(customer.Id, subscription.Customer!.Id);
        Assert.Equal("app_1", subscription.Metadata["appId"]);
        Assert.NotNull(subscription.PeriodEnd);
        Assert.Contains((await _stripe.Subscriptions.ListAsync(new SubscriptionListRequest { Customer = customer.Id })).Data, s => s.Id == subscriptionId);

        var invoices = await _stripe.Invoices.ListAsync(new InvoiceListRequest { Subscription = subscriptionId });
        var invoice = await _stripe.Invoices.GetAsync(Assert.Single(invoices.Data).Id);
        Assert.Equal("paid", invoice.Status);
        Assert.Equal(1500, invoice.AmountPaid);
        Assert.Equal(subscriptionId, invoice.SubscriptionId);
        var line = Assert.Single((await _stripe.Invoices.ListLinesAsync(invoice.Id)).Data);
        Assert.Equal(1500, line.Amount);
        Assert.True(line.Period!.End > line.Period.Start);

        var portal = await _stripe.BillingPortalSessions.CreateAsync(new BillingPortalSessionCreateRequest { Customer = customer.Id, ReturnUrl = "https://app.example/account" });
        Assert.StartsWith("bps_", portal.Id);
        Assert.False(string.IsNullOrEmpty(portal.Url));

        var atPeriodEnd = await _stripe.Subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateRequest
        {
            CancelAtPeriodEnd = true,
            CancellationDetails = new CancellationDetailsOptions { Comment = "moving on" },
        });
        Assert.True(atPeriodEnd.CancelAtPeriodEnd);
        Assert.Equal("active", atPeriodEnd.Status);

        var canceled = await _stripe.Subscriptions.CancelAsync(subscriptionId);
        Assert.Equal("canceled", canceled.Status);
        Assert.NotNull(canceled.EndedAt);

        var events = await _stripe.Events.ListAsync(new EventListRequest { Type = "customer.subscription.*", Limit = 100 });
        var created = Assert.Single(events.Data, e => e.Type == "customer.subscription.created" && e.GetObject<Subscription>().Id == subscriptionId);
        Assert.Equal(created.Id, (await _stripe.Events.GetAsync(created.Id)).Id);
        Assert.Contains(events.Data, e => e.Type == "customer.subscription.deleted" && e.GetObject<Subscription>().Id == subscriptionId);
    }

    [Fact]
    public async Task Held_deposit_is_captured_then_partly_refunded()
    {
        var session = await PaidManualCaptureSessionAsync(5000);
        var intent = await _stripe.PaymentIntents.GetAsync(session.PaymentIntent!.Id);
        Assert.Equal("requires_capture", intent.Status);
        Assert.Equal(5000, intent.AmountCapturable);

        var captured = await _stripe.PaymentIntents.CaptureAsync(intent.Id, new PaymentIntentCaptureRequest { AmountToCapture = 4000 });
        Assert.Equal("succeeded", captured.Status);
        Assert.Equal(4000, captured.AmountReceived);

        var refund = await _stripe.Refunds.CreateAsync(new RefundCreateRequest { PaymentIntent = intent.Id, Amount = 1000, Reason = RefundReason.RequestedByCustomer },
            new RequestOptions { IdempotencyKey = IdempotencyKeys.From("refund", intent.Id, "1") });
        Assert.StartsWith("re_", refund.Id);
        Assert.Equal(1000, refund.Amount);
        Assert.Equal("requested_by_customer", refund.Reason);
        Assert.Equal(refund.Id, (await _stripe.Refunds.GetAsync(refund.Id)).Id);
        Assert.Equal(refund.Id, Assert.Single((await _stripe.Refunds.ListAsync(new RefundListRequest { PaymentIntent = intent.Id })).Data).Id);
    }

    [Fact]
    public async Task Held_deposit_is_released_by_cancelling_the_intent()
    {
        var session = await PaidManualCaptureSessionAsync(2500);

        var canceled = await _stripe.PaymentIntents.CancelAsync(session.PaymentIntent!.Id, new PaymentIntentCancelRequest { CancellationReason = PaymentIntentCancellationReason.Abandoned });

        Assert.Equal("canceled", canceled.Status);
        Assert.Equal(0, canceled.AmountReceived);
    }

    private async Task<CheckoutSession> PaidManualCaptureSessionAsync(long amount)
    {
        var session = await _stripe.CheckoutSessions.CreateAsync(new CheckoutSessionCreateRequest
        {
            Mode = CheckoutMode.Payment,
            LineItems = [new() { PriceData = new CheckoutPriceData { Currency = "usd", UnitAmount = amount, ProductData = new CheckoutProductData { Name = "Deposit" } }, Quantity = 1 }],
            SuccessUrl = "https://app.example/paid",
            PaymentIntentData = new CheckoutPaymentIntentData { CaptureMethod = CaptureMethod.Manual, Metadata = new() { ["orderId"] = "ord_1" } },
        });
        await CompleteCheckoutAsync(session.Id);
        return await _stripe.CheckoutSessions.GetAsync(session.Id);
    }

    [Fact]
    public async Task Expired_session_has_no_url_and_cannot_be_paid()
    {
        var price = await RecurringPriceAsync();
        var session = await _stripe.CheckoutSessions.CreateAsync(new CheckoutSessionCreateRequest
        {
            Mode = CheckoutMode.Subscription,
            LineItems = [new() { Price = price.Id, Quantity = 1 }],
            SuccessUrl = "https://app.example/ok",
            ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
        });

        var expired = await _stripe.CheckoutSessions.ExpireAsync(session.Id);

        Assert.Equal("expired", expired.Status);
        Assert.Null(expired.Url);
        var error = await Assert.ThrowsAsync<StripeException>(() => CompleteCheckoutAsync(session.Id));
        Assert.Equal(StripeErrorKind.InvalidRequest, error.Kind);
        Assert.Equal("expired", (await _stripe.CheckoutSessions.ListAsync(new CheckoutSessionListRequest { Status = CheckoutSessionStatus.Expired, Limit = 100 }))
            .Data.Single(s => s.Id == session.Id).Status);
    }

    [Fact]
    public async Task Declined_card_is_a_typed_card_error()
    {
        var price = await RecurringPriceAsync();
        var session = await _stripe.CheckoutSessions.CreateAsync(new CheckoutSessionCreateRequest
        {
            Mode = CheckoutMode.Subscription,
            CustomerEmail = Unique("declined") + "@example.com",
            LineItems = [new() { Price = price.Id, Quantity = 1 }],
            SuccessUrl = "https://app.example/ok",
        });

        var error = await Assert.ThrowsAsync<StripeException>(() => CompleteCheckoutAsync(session.Id, "4000000000009995"));

        Assert.Equal(StripeErrorKind.Card, error.Kind);
        Assert.Equal(System.Net.HttpStatusCode.PaymentRequired, error.HttpStatus);
        Assert.Equal("card_declined", error.Code);
        Assert.Equal("insufficient_funds", error.DeclineCode);
        Assert.StartsWith("req_", error.RequestId);
    }
}
