using System.Text.Json;
using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>Reading Stripe's JSON: expandable fields, unknown fields, both API shapes.</summary>
public sealed class ResponseModelTests
{
    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, StripeJson.Options)!;

    [Fact]
    public void Expandable_field_reads_an_id()
    {
        var price = Read<Price>("""{"id":"price_1","object":"price","product":"prod_1","currency":"usd","unit_amount":1000,"type":"recurring","recurring":{"interval":"month","interval_count":1,"usage_type":"licensed"},"created":1}""");

        Assert.Equal("prod_1", price.Product!.Id);
        Assert.False(price.Product.IsExpanded);
        Assert.Equal("month", price.Recurring!.Interval);
        Assert.Equal(1000, price.UnitAmount);
    }

    [Fact]
    public void Expandable_field_reads_an_expanded_object()
    {
        var price = Read<Price>("""{"id":"price_1","object":"price","product":{"id":"prod_1","object":"product","name":"Pro","active":true,"created":1},"created":1}""");

        Assert.True(price.Product!.IsExpanded);
        Assert.Equal("prod_1", price.Product.Id);
        Assert.Equal("Pro", price.Product.Object!.Name);
    }

    [Fact]
    public void Unknown_fields_are_kept_not_fatal()
    {
        var customer = Read<Customer>("""{"id":"cus_1","object":"customer","created":1,"brand_new_field":{"x":1},"metadata":{"appId":"app_1"}}""");

        Assert.Equal("app_1", customer.Metadata["appId"]);
        Assert.True(customer.ExtensionData!.ContainsKey("brand_new_field"));
    }

    [Fact]
    public void Status_values_not_known_today_still_read()
    {
        var subscription = Read<Subscription>("""{"id":"sub_1","object":"subscription","status":"some_future_status","items":{"object":"list","data":[],"has_more":false},"created":1}""");

        Assert.Equal("some_future_status", subscription.Status);
    }

    [Fact]
    public void Current_invoice_shape_gives_subscription_from_parent()
    {
        var invoice = Read<Invoice>("""
            {"id":"in_1","object":"invoice","status":"paid","currency":"usd","amount_paid":900,"created":1,
             "parent":{"type":"subscription_details","subscription_details":{"subscription":"sub_new","metadata":{}}},
             "payments":{"object":"list","has_more":false,"data":[{"id":"inpay_1","object":"invoice_payment","status":"paid","amount_paid":900,"payment":{"type":"payment_intent","payment_intent":"pi_1"}}]},
             "lines":{"object":"list","has_more":false,"data":[{"id":"il_1","object":"line_item","amount":900,"currency":"usd","period":{"start":1700000000,"end":1702592000}}]}}
            """);

        Assert.Equal("sub_new", invoice.SubscriptionId);
        Assert.Equal("pi_1", invoice.Payments!.Data[0].Payment!.PaymentIntent!.Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1702592000), invoice.Lines.Data[0].Period!.End);
    }

    [Fact]
    public void Older_invoice_shape_gives_subscription_from_the_top_level_field()
    {
        var invoice = Read<Invoice>("""{"id":"in_1","object":"invoice","currency":"usd","subscription":"sub_old","payment_intent":"pi_1","created":1}""");

        Assert.Equal("sub_old", invoice.SubscriptionId);
        Assert.Equal("pi_1", invoice.PaymentIntent!.Id);
    }

    [Fact]
    public void Subscription_period_comes_from_items_in_the_current_api_and_the_top_level_in_2023()
    {
        var current = Read<Subscription>("""{"id":"sub_1","object":"subscription","status":"active","created":1,"items":{"object":"list","has_more":false,"data":[{"id":"si_1","object":"subscription_item","created":1,"current_period_start":100,"current_period_end":200,"price":{"id":"price_1","object":"price","created":1}}]}}""");
        var old = Read<Subscription>("""{"id":"sub_1","object":"subscription","status":"active","created":1,"current_period_start":10,"current_period_end":20,"items":{"object":"list","has_more":false,"data":[]}}""");

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(200), current.PeriodEnd);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(100), current.PeriodStart);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(20), old.PeriodEnd);
    }

    [Fact]
    public void Event_keeps_previous_attributes_and_connect_account()
    {
        var stripeEvent = Read<StripeEvent>("""
            {"id":"evt_2","object":"event","type":"customer.subscription.updated","created":5,"account":"acct_9","livemode":false,
             "request":{"id":null,"idempotency_key":null},
             "data":{"object":{"id":"sub_1","object":"subscription","status":"active","created":1,"items":{"object":"list","data":[],"has_more":false}},
                     "previous_attributes":{"status":"trialing"}}}
            """);

        Assert.Equal("acct_9", stripeEvent.Account);
        Assert.Null(stripeEvent.Request!.Id);
        Assert.Equal("trialing", stripeEvent.Data.PreviousAttributes!.Value.GetProperty("status").GetString());
        Assert.Equal("active", stripeEvent.GetObject<Subscription>().Status);
    }

    [Fact]
    public void Event_request_as_a_bare_string_from_old_api_versions_is_read()
    {
        var stripeEvent = Read<StripeEvent>("""{"id":"evt_3","object":"event","type":"x","created":1,"request":"req_old","data":{"object":{}}}""");

        Assert.Equal("req_old", stripeEvent.Request!.Id);
        Assert.Null(stripeEvent.Request.IdempotencyKey);
    }

    [Fact]
    public void Checkout_session_reads_expanded_line_items_and_nullable_fields()
    {
        var session = Read<CheckoutSession>("""
            {"id":"cs_test_1","object":"checkout.session","mode":"payment","status":"expired","payment_status":"unpaid","url":null,"customer":null,
             "created":1,"expires_at":2,"metadata":{},
             "line_items":{"object":"list","has_more":false,"data":[{"id":"li_1","object":"item","amount_total":500,"currency":"usd","quantity":1,"price":{"id":"price_1","object":"price","created":1}}]}}
            """);

        Assert.Null(session.Url);
        Assert.Null(session.Customer);
        Assert.Equal(500, session.LineItems!.Data[0].AmountTotal);
    }

    [Fact]
    public void Missing_id_on_an_object_is_refused()
    {
        Assert.Throws<JsonException>(() => Read<Customer>("""{"object":"customer"}"""));
    }

    [Fact]
    public void Webhook_endpoint_text_never_shows_its_secret()
    {
        var endpoint = Read<WebhookEndpoint>("""{"id":"we_1","object":"webhook_endpoint","url":"https://a.example/hook","secret":"whsec_very_secret","status":"enabled","created":1}""");

        Assert.Equal("whsec_very_secret", endpoint.Secret);
        Assert.DoesNotContain("whsec_very_secret", endpoint.ToString());
        Assert.Contains("we_1", endpoint.ToString());
    }
}
