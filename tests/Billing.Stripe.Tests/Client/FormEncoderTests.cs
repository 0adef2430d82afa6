using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>Encodings checked against the shapes in Stripe's API reference (curl examples).</summary>
public sealed class FormEncoderTests
{
    private static string Decoded(object parameters) => Uri.UnescapeDataString(StripeFormEncoder.Encode(parameters));

    [Fact]
    public void Null_properties_are_left_out()
    {
        Assert.Equal("", StripeFormEncoder.Encode(new CustomerCreateRequest()));
        Assert.Equal("name=Ada", StripeFormEncoder.Encode(new CustomerCreateRequest { Name = "Ada" }));
    }

    [Fact]
    public void Nested_objects_use_bracketed_keys()
    {
        var encoded = StripeFormEncoder.Encode(new CustomerCreateRequest
        {
            Address = new AddressOptions { Line1 = "1 Main St", Country = "US" },
            InvoiceSettings = new CustomerInvoiceSettingsOptions { DefaultPaymentMethod = "pm_1" },
        });

        Assert.Equal("address[country]=US&address[line1]=1%20Main%20St&invoice_settings[default_payment_method]=pm_1", encoded);
    }

    [Fact]
    public void Arrays_are_indexed()
    {
        var encoded = StripeFormEncoder.Encode(new ProductCreateRequest { Name = "Pro", Images = ["https://a/1.png", "https://a/2.png"] });

        Assert.Equal("name=Pro&images[0]=https://a/1.png&images[1]=https://a/2.png", Uri.UnescapeDataString(encoded));
        Assert.Contains("images[0]=https%3A%2F%2Fa%2F1.png", encoded);
    }

    [Fact]
    public void Arrays_of_objects_nest_index_then_field()
    {
        var encoded = Decoded(new CheckoutSessionCreateRequest
        {
            Mode = CheckoutMode.Payment,
            LineItems =
            [
                new() { Price = "price_1", Quantity = 2 },
                new() { PriceData = new CheckoutPriceData { Currency = "usd", UnitAmount = 500, ProductData = new CheckoutProductData { Name = "Tip" } }, Quantity = 1 },
            ],
        });

        Assert.Equal(
            "mode=payment&line_items[0][price]=price_1&line_items[0][quantity]=2" +
            "&line_items[1][price_data][currency]=usd&line_items[1][price_data][unit_amount]=500" +
            "&line_items[1][price_data][product_data][name]=Tip&line_items[1][quantity]=1",
            encoded);
    }

    [Fact]
    public void Metadata_keys_are_kept_verbatim_and_null_deletes_a_key()
    {
        var encoded = StripeFormEncoder.Encode(new CustomerUpdateRequest
        {
            Metadata = new() { ["appId"] = "app_1", ["order id"] = "ord 7", ["stale"] = null },
        });

        Assert.Equal("metadata[appId]=app_1&metadata[order%20id]=ord%207&metadata[stale]=", encoded);
    }

    [Fact]
    public void Empty_metadata_clears_all_keys()
    {
        Assert.Equal("metadata=", StripeFormEncoder.Encode(new CustomerUpdateRequest { Metadata = [] }));
    }

    [Fact]
    public void Booleans_are_lowercase_words()
    {
        Assert.Equal("cancel_at_period_end=true", StripeFormEncoder.Encode(new SubscriptionUpdateRequest { CancelAtPeriodEnd = true }));
        Assert.Equal("active=false", StripeFormEncoder.Encode(new PriceUpdateRequest { Active = false }));
    }

    [Fact]
    public void Enums_are_snake_case_strings()
    {
        var encoded = Decoded(new CheckoutSessionCreateRequest
        {
            Mode = CheckoutMode.Payment,
            CustomerCreation = CustomerCreation.IfRequired,
            PaymentIntentData = new CheckoutPaymentIntentData { CaptureMethod = CaptureMethod.AutomaticAsync, SetupFutureUsage = SetupFutureUsage.OffSession },
        });

        Assert.Equal("mode=payment&customer_creation=if_required&payment_intent_data[capture_method]=automatic_async&payment_intent_data[setup_future_usage]=off_session", encoded);
        Assert.Equal("type=one_time", StripeFormEncoder.Encode(new PriceListRequest { Type = PriceType.OneTime }));
    }

    [Fact]
    public void Times_are_unix_seconds_including_range_filters()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1735689600);

        Assert.Equal("frozen_time=1735689600", StripeFormEncoder.Encode(new TestClockCreateRequest { FrozenTime = at }));
        Assert.Equal("created[gte]=1735689600&created[lt]=1735693200",
            Decoded(new EventListRequest { Created = new DateRangeFilter { Gte = at, Lt = at.AddHours(1) } }));
    }

    [Fact]
    public void Decimals_and_longs_keep_their_exact_text()
    {
        var encoded = Decoded(new CheckoutSessionCreateRequest
        {
            Mode = CheckoutMode.Subscription,
            SubscriptionData = new CheckoutSubscriptionData
            {
                ApplicationFeePercent = 12.5m,
                TrialPeriodDays = 14,
                TransferData = new TransferDataOptions { Destination = "acct_1" },
                Metadata = new() { ["planId"] = "plan_1" },
                TrialSettings = new() { EndBehavior = new() { MissingPaymentMethod = MissingPaymentMethodBehavior.Cancel } },
            },
            PaymentIntentData = null,
        });

        Assert.Equal(
            "mode=subscription&subscription_data[trial_period_days]=14&subscription_data[trial_settings][end_behavior][missing_payment_method]=cancel" +
            "&subscription_data[application_fee_percent]=12.5&subscription_data[transfer_data][destination]=acct_1&subscription_data[metadata][planId]=plan_1",
            encoded);
        Assert.Equal("currency=usd&destination=acct_1&amount=9007199254740993",
            Decoded(new TransferCreateRequest { Amount = 9007199254740993, Currency = "usd", Destination = "acct_1" }));
    }

    [Fact]
    public void Subscription_item_changes_encode_as_an_indexed_list()
    {
        var encoded = Decoded(new SubscriptionUpdateRequest
        {
            Items = [new() { Id = "si_1", Deleted = true }, new() { Price = "price_yearly", Quantity = 1 }],
            ProrationBehavior = ProrationBehavior.AlwaysInvoice,
        });

        Assert.Equal("items[0][id]=si_1&items[0][deleted]=true&items[1][price]=price_yearly&items[1][quantity]=1&proration_behavior=always_invoice", encoded);
    }

    [Fact]
    public void Extra_params_reach_unmodelled_parameters_and_can_clear_fields()
    {
        var encoded = Decoded(new SubscriptionUpdateRequest
        {
            ExtraParams = new() { ["trial_end"] = "now", ["pause_collection"] = "", ["discounts"] = new[] { new Dictionary<string, string> { ["coupon"] = "X" } } },
        });

        Assert.Equal("trial_end=now&pause_collection=&discounts[0][coupon]=X", encoded);
    }

    [Fact]
    public void Empty_lists_are_sent_as_empty_to_clear_them()
    {
        Assert.Equal("images=", StripeFormEncoder.Encode(new ProductUpdateRequest { Images = [] }));
    }

    [Fact]
    public void Anonymous_objects_and_dictionaries_encode_by_their_given_names()
    {
        Assert.Equal("payload[stripe_customer_id]=cus_1&payload[value]=3",
            Decoded(new Dictionary<string, object> { ["payload"] = new Dictionary<string, string> { ["stripe_customer_id"] = "cus_1", ["value"] = "3" } }));
        Assert.Equal("customer=cus_1&limit=5", StripeFormEncoder.Encode(new { customer = "cus_1", limit = 5 }));
    }

    [Fact]
    public void Reserved_characters_in_values_are_percent_encoded()
    {
        Assert.Equal("description=a%26b%3Dc%20d%2Be%C3%A9", StripeFormEncoder.Encode(new CustomerCreateRequest { Description = "a&b=c d+eé" }));
    }

    [Fact]
    public void A_scalar_is_not_a_parameter_set()
    {
        Assert.Throws<ArgumentException>(() => StripeFormEncoder.Flatten("customer"));
    }

    [Fact]
    public void Account_creation_matches_the_connect_express_shape()
    {
        var encoded = Decoded(new AccountCreateRequest
        {
            Type = AccountType.Express,
            Country = "US",
            Email = "creator@example.com",
            Capabilities = new AccountCapabilitiesOptions { CardPayments = new(true), Transfers = new(true) },
        });

        Assert.Equal("type=express&country=US&email=creator@example.com&capabilities[card_payments][requested]=true&capabilities[transfers][requested]=true", encoded);
    }
}
