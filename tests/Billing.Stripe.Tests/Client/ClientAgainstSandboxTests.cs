using System.Net;
using Stripe;
using Stripe.Checkout;
using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>
/// Drives every billing endpoint a service uses through Stripe.net against the Stripe sandbox: what
/// Stripe.net sends is what the sandbox accepts, and what the sandbox answers deserializes into
/// Stripe.net's models. Each test makes its own objects, so tests share one sandbox.
/// </summary>
public sealed class ClientAgainstSandboxTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    private const string GoodCard = "4242424242424242";
    private readonly StripeClient _stripe = sandbox.Client;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>The sandbox's test helper that pays an open session with a test card, as a buyer would.</summary>
    private Task<Session> CompleteCheckoutAsync(string sessionId, string card = GoodCard)
    {
        var options = new BaseOptions();
        options.AddExtraParam("card", card);
        return _stripe.RequestAsync<Session>(HttpMethod.Post, $"/v1/test_helpers/checkout/sessions/{sessionId}/complete", options,
            new RequestOptions { IdempotencyKey = IdempotencyKeys.From("complete", sessionId, card) }, default);
    }

    private async Task<Price> RecurringPriceAsync(long amount = 1500)
    {
        var product = await _stripe.V1.Products.CreateAsync(new ProductCreateOptions { Name = Unique("plan") });
        return await _stripe.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Currency = "usd",
            Product = product.Id,
            UnitAmount = amount,
            Recurring = new PriceRecurringOptions { Interval = "month" },
        });
    }

    [Fact]
    public async Task Customers_create_read_update_list_and_delete()
    {
        var email = Unique("c") + "@example.com";
        var created = await _stripe.V1.Customers.CreateAsync(new CustomerCreateOptions
        {
            Email = email,
            Name = "Ada",
            Address = new AddressOptions { Country = "GB", Line1 = "1 Main St" },
            Metadata = StripeConventions.AppMetadata("app_1", new Dictionary<string, string> { ["temp"] = "x" }),
        }, StripeConventions.Change(IdempotencyKeys.From("customer", email)));

        Assert.StartsWith("cus_", created.Id);
        Assert.Equal("GB", created.Address?.Country);
        Assert.Equal("app_1", StripeConventions.AppIdOf(created));

        // An empty value deletes a metadata key, as on Stripe.
        var updated = await _stripe.V1.Customers.UpdateAsync(created.Id, new CustomerUpdateOptions { Name = "Ada L", Metadata = new() { ["temp"] = "" } });
        Assert.Equal("Ada L", updated.Name);
        Assert.Equal(new Dictionary<string, string> { ["app_id"] = "app_1" }, updated.Metadata);

        Assert.Equal(email, (await _stripe.V1.Customers.GetAsync(created.Id)).Email);
        Assert.Equal(created.Id, Assert.Single((await _stripe.V1.Customers.ListAsync(new CustomerListOptions { Email = email })).Data).Id);

        var deleted = await _stripe.V1.Customers.DeleteAsync(created.Id);
        Assert.True(deleted.Deleted);
        Assert.Empty((await _stripe.V1.Customers.ListAsync(new CustomerListOptions { Email = email })).Data);
    }

    [Fact]
    public async Task Auto_pager_walks_every_page()
    {
        var email = Unique("pager") + "@example.com";
        var ids = new HashSet<string>();
        for (var i = 0; i < 5; i++)
            ids.Add((await _stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = email })).Id);

        var seen = new List<string>();
        await foreach (var customer in _stripe.V1.Customers.ListAutoPagingAsync(new CustomerListOptions { Email = email, Limit = 2 }))
            seen.Add(customer.Id);

        Assert.Equal(ids, seen.ToHashSet());
        Assert.Equal(5, seen.Count);
        var firstPage = await _stripe.V1.Customers.ListAsync(new CustomerListOptions { Email = email, Limit = 2 });
        Assert.True(firstPage.HasMore);
        Assert.Equal(2, firstPage.Data.Count);
    }

    [Fact]
    public async Task Products_and_prices_round_trip_with_expansion_lookup_keys_and_archiving()
    {
        var product = await _stripe.V1.Products.CreateAsync(new ProductCreateOptions
        {
            Name = "Pro",
            Description = "All features",
            DefaultPriceData = new ProductDefaultPriceDataOptions { Currency = "usd", UnitAmount = 2900, Recurring = new ProductDefaultPriceDataRecurringOptions { Interval = "month" } },
            MarketingFeatures = [new ProductMarketingFeatureOptions { Name = "Unlimited apps" }],
            Metadata = new() { ["planId"] = "plan_pro" },
        });
        Assert.StartsWith("prod_", product.Id);
        Assert.False(string.IsNullOrEmpty(product.DefaultPriceId));

        var expanded = await _stripe.V1.Products.GetAsync(product.Id, new ProductGetOptions { Expand = ["default_price"] });
        Assert.Equal(2900, expanded.DefaultPrice!.UnitAmount);
        Assert.Equal("month", expanded.DefaultPrice.Recurring!.Interval);

        var lookupKey = Unique("pro_yearly");
        var yearly = await _stripe.V1.Prices.CreateAsync(new PriceCreateOptions
        {
            Currency = "usd",
            Product = product.Id,
            UnitAmount = 29000,
            Recurring = new PriceRecurringOptions { Interval = "year" },
            LookupKey = lookupKey,
            Nickname = "Pro yearly",
            TaxBehavior = "exclusive",
        });
        Assert.Equal("recurring", yearly.Type);
        Assert.Equal(product.Id, yearly.ProductId);

        Assert.Equal(yearly.Id, Assert.Single((await _stripe.V1.Prices.ListAsync(new PriceListOptions { LookupKeys = [lookupKey] })).Data).Id);

        var archived = await _stripe.V1.Prices.UpdateAsync(yearly.Id, new PriceUpdateOptions { Active = false, Nickname = "old" });
        Assert.False(archived.Active);
        Assert.Equal("old", (await _stripe.V1.Prices.GetAsync(yearly.Id)).Nickname);
        Assert.DoesNotContain((await _stripe.V1.Prices.ListAsync(new PriceListOptions { Product = product.Id, Active = true })).Data, p => p.Id == yearly.Id);

        var renamed = await _stripe.V1.Products.UpdateAsync(product.Id, new ProductUpdateOptions { Name = "Pro 2", Active = false });
        Assert.Equal("Pro 2", renamed.Name);
        Assert.Contains((await _stripe.V1.Products.ListAsync(new ProductListOptions { Ids = [product.Id] })).Data, p => p.Id == product.Id);

        var bare = await _stripe.V1.Products.CreateAsync(new ProductCreateOptions { Name = "No prices", Id = Unique("prod_custom") });
        Assert.True((await _stripe.V1.Products.DeleteAsync(bare.Id)).Deleted);
    }

    [Fact]
    public async Task Subscription_checkout_to_cancellation_through_every_subscription_endpoint()
    {
        var price = await RecurringPriceAsync();
        var customer = await _stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = Unique("sub") + "@example.com" });

        var session = await _stripe.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            LineItems = [new SessionLineItemOptions { Price = price.Id, Quantity = 1 }],
            SuccessUrl = "https://app.example/done?session={CHECKOUT_SESSION_ID}",
            CancelUrl = "https://app.example/cancel",
            ClientReferenceId = "order_1",
            SubscriptionData = new SessionSubscriptionDataOptions { Metadata = StripeConventions.AppMetadata("app_1") },
            Metadata = StripeConventions.AppMetadata("app_1"),
        }, StripeConventions.Change(IdempotencyKeys.From("checkout", customer.Id)));
        Assert.Equal("open", session.Status);
        Assert.Equal("https://app.example/done?session={CHECKOUT_SESSION_ID}", session.SuccessUrl);
        Assert.False(string.IsNullOrEmpty(session.Url));

        await CompleteCheckoutAsync(session.Id);

        var completed = await _stripe.V1.Checkout.Sessions.GetAsync(session.Id, new SessionGetOptions { Expand = ["line_items"] });
        Assert.Equal("complete", completed.Status);
        Assert.Equal("paid", completed.PaymentStatus);
        Assert.Equal(price.Id, Assert.Single(completed.LineItems!.Data).Price!.Id);
        var subscriptionId = completed.SubscriptionId;

        var lineItems = await _stripe.V1.Checkout.Sessions.LineItems.ListAsync(session.Id);
        Assert.Equal(1500, Assert.Single(lineItems.Data).AmountTotal);
        Assert.Contains((await _stripe.V1.Checkout.Sessions.ListAsync(new SessionListOptions { Customer = customer.Id })).Data, s => s.Id == session.Id);

        var subscription = await _stripe.V1.Subscriptions.GetAsync(subscriptionId);
        Assert.Equal("active", subscription.Status);
        Assert.Equal(customer.Id, subscription.CustomerId);
        Assert.Equal("app_1", StripeConventions.AppIdOf(subscription));
        Assert.True(Assert.Single(subscription.Items.Data).CurrentPeriodEnd > DateTime.UtcNow);
        Assert.Contains((await _stripe.V1.Subscriptions.ListAsync(new SubscriptionListOptions { Customer = customer.Id })).Data, s => s.Id == subscriptionId);

        var invoices = await _stripe.V1.Invoices.ListAsync(new InvoiceListOptions { Subscription = subscriptionId });
        var invoice = await _stripe.V1.Invoices.GetAsync(Assert.Single(invoices.Data).Id);
        Assert.Equal("paid", invoice.Status);
        Assert.Equal(1500, invoice.AmountPaid);
        Assert.Equal(subscriptionId, invoice.Parent?.SubscriptionDetails?.SubscriptionId);
        var line = Assert.Single((await _stripe.V1.Invoices.LineItems.ListAsync(invoice.Id)).Data);
        Assert.Equal(1500, line.Amount);
        Assert.True(line.Period!.End > line.Period.Start);

        var portal = await _stripe.V1.BillingPortal.Sessions.CreateAsync(new global::Stripe.BillingPortal.SessionCreateOptions { Customer = customer.Id, ReturnUrl = "https://app.example/account" });
        Assert.StartsWith("bps_", portal.Id);
        Assert.False(string.IsNullOrEmpty(portal.Url));

        var atPeriodEnd = await _stripe.V1.Subscriptions.UpdateAsync(subscriptionId, new SubscriptionUpdateOptions
        {
            CancelAtPeriodEnd = true,
            CancellationDetails = new SubscriptionCancellationDetailsOptions { Comment = "moving on" },
        });
        Assert.True(atPeriodEnd.CancelAtPeriodEnd);
        Assert.Equal("active", atPeriodEnd.Status);

        var canceled = await _stripe.V1.Subscriptions.CancelAsync(subscriptionId);
        Assert.Equal("canceled", canceled.Status);
        Assert.NotNull(canceled.EndedAt);

        // The events deserialize into Stripe.net's typed objects (the sandbox renders the version Stripe.net pins).
        var events = await _stripe.V1.Events.ListAsync(new EventListOptions { Type = "customer.subscription.*", Limit = 100 });
        var created = Assert.Single(events.Data, e => e.Type == "customer.subscription.created" && ((Subscription)e.Data.Object).Id == subscriptionId);
        Assert.Equal(StripeConfiguration.ApiVersion, created.ApiVersion);
        Assert.Equal(created.Id, (await _stripe.V1.Events.GetAsync(created.Id)).Id);
        Assert.Contains(events.Data, e => e.Type == "customer.subscription.deleted" && ((Subscription)e.Data.Object).Id == subscriptionId);
    }

    [Fact]
    public async Task Held_deposit_is_captured_then_partly_refunded()
    {
        var session = await PaidManualCaptureSessionAsync(5000);
        var intent = await _stripe.V1.PaymentIntents.GetAsync(session.PaymentIntentId);
        Assert.Equal("requires_capture", intent.Status);
        Assert.Equal(5000, intent.AmountCapturable);

        var captured = await _stripe.V1.PaymentIntents.CaptureAsync(intent.Id, new PaymentIntentCaptureOptions { AmountToCapture = 4000 },
            StripeConventions.Change(IdempotencyKeys.From("capture", intent.Id)));
        Assert.Equal("succeeded", captured.Status);
        Assert.Equal(4000, captured.AmountReceived);

        var refund = await _stripe.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = intent.Id, Amount = 1000, Reason = "requested_by_customer" },
            StripeConventions.Change(IdempotencyKeys.From("refund", intent.Id, "1")));
        Assert.StartsWith("re_", refund.Id);
        Assert.Equal(1000, refund.Amount);
        Assert.Equal("requested_by_customer", refund.Reason);
        Assert.Equal(refund.Id, (await _stripe.V1.Refunds.GetAsync(refund.Id)).Id);
        Assert.Equal(refund.Id, Assert.Single((await _stripe.V1.Refunds.ListAsync(new RefundListOptions { PaymentIntent = intent.Id })).Data).Id);
    }

    [Fact]
    public async Task After_a_partial_capture_a_full_refund_returns_what_was_captured()
    {
        var session = await PaidManualCaptureSessionAsync(5000);
        var intent = await _stripe.V1.PaymentIntents.CaptureAsync(session.PaymentIntentId, new PaymentIntentCaptureOptions { AmountToCapture = 4000 });

        var tooMuch = await Assert.ThrowsAsync<StripeException>(() =>
            _stripe.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = intent.Id, Amount = 4001 }));
        var refund = await _stripe.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = intent.Id });

        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.HttpStatusCode);
        Assert.Equal("amount", tooMuch.StripeError.Param);
        Assert.Equal(4000, refund.Amount);
        var charge = await _stripe.V1.Charges.GetAsync(intent.LatestChargeId);
        Assert.Equal(4000, charge.AmountCaptured);
        Assert.Equal(4000, charge.AmountRefunded);
        Assert.True(charge.Refunded);
    }

    [Fact]
    public async Task After_a_partial_capture_refunding_exactly_the_captured_amount_completes_the_refund()
    {
        var session = await PaidManualCaptureSessionAsync(5000);
        var intent = await _stripe.V1.PaymentIntents.CaptureAsync(session.PaymentIntentId, new PaymentIntentCaptureOptions { AmountToCapture = 4000 });

        var refund = await _stripe.V1.Refunds.CreateAsync(new RefundCreateOptions { PaymentIntent = intent.Id, Amount = 4000 });

        Assert.Equal(4000, refund.Amount);
        var charge = await _stripe.V1.Charges.GetAsync(intent.LatestChargeId);
        Assert.Equal(4000, charge.AmountRefunded);
        Assert.True(charge.Refunded);
    }

    [Fact]
    public async Task Held_deposit_is_released_by_cancelling_the_intent()
    {
        var session = await PaidManualCaptureSessionAsync(2500);

        var canceled = await _stripe.V1.PaymentIntents.CancelAsync(session.PaymentIntentId, new PaymentIntentCancelOptions { CancellationReason = "abandoned" });

        Assert.Equal("canceled", canceled.Status);
        Assert.Equal(0, canceled.AmountReceived);
    }

    private async Task<Session> PaidManualCaptureSessionAsync(long amount)
    {
        var session = await _stripe.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            LineItems =
            [
                new SessionLineItemOptions
                {
                    PriceData = new SessionLineItemPriceDataOptions { Currency = "usd", UnitAmount = amount, ProductData = new SessionLineItemPriceDataProductDataOptions { Name = "Deposit" } },
                    Quantity = 1,
                },
            ],
            SuccessUrl = "https://app.example/paid",
            PaymentIntentData = new SessionPaymentIntentDataOptions { CaptureMethod = "manual", Metadata = new() { ["orderId"] = "ord_1" } },
        });
        await CompleteCheckoutAsync(session.Id);
        return await _stripe.V1.Checkout.Sessions.GetAsync(session.Id);
    }

    [Fact]
    public async Task Expired_session_has_no_url_and_cannot_be_paid()
    {
        var price = await RecurringPriceAsync();
        var session = await _stripe.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            LineItems = [new SessionLineItemOptions { Price = price.Id, Quantity = 1 }],
            SuccessUrl = "https://app.example/ok",
            ExpiresAt = DateTime.UtcNow.AddHours(1),
        });

        var expired = await _stripe.V1.Checkout.Sessions.ExpireAsync(session.Id);

        Assert.Equal("expired", expired.Status);
        Assert.Null(expired.Url);
        var error = await Assert.ThrowsAsync<StripeException>(() => CompleteCheckoutAsync(session.Id));
        Assert.Equal("invalid_request_error", error.StripeError.Type);
        Assert.Equal("expired", (await _stripe.V1.Checkout.Sessions.ListAsync(new SessionListOptions { Status = "expired", Limit = 100 }))
            .Data.Single(s => s.Id == session.Id).Status);
    }

    [Fact]
    public async Task Declined_card_is_a_card_error_that_maps_to_our_stripe_error_problem()
    {
        var price = await RecurringPriceAsync();
        var session = await _stripe.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            CustomerEmail = Unique("declined") + "@example.com",
            LineItems = [new SessionLineItemOptions { Price = price.Id, Quantity = 1 }],
            SuccessUrl = "https://app.example/ok",
        });

        var error = await Assert.ThrowsAsync<StripeException>(() => CompleteCheckoutAsync(session.Id, "4000000000009995"));

        Assert.Equal(HttpStatusCode.PaymentRequired, error.HttpStatusCode);
        Assert.Equal("card_error", error.StripeError.Type);
        Assert.Equal("card_declined", error.StripeError.Code);
        Assert.Equal("insufficient_funds", error.StripeError.DeclineCode);
        var problem = StripeErrors.ToProblem(error);
        Assert.Equal(502, problem.Status);
        Assert.Equal("stripe_error", problem.Code);
        Assert.Equal("card_error", problem.Extensions["stripeType"]);
        Assert.Equal("card_declined", problem.Extensions["stripeCode"]);
        Assert.Equal("insufficient_funds", problem.Extensions["declineCode"]);
        Assert.Equal(402, problem.Extensions["stripeStatus"]);
        Assert.StartsWith("req_", (string?)problem.Extensions["stripeRequestId"]);
    }
}
