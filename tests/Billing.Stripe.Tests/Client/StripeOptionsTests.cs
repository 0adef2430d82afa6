using Billing.Stripe.Webhooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Stripe;
using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>What a service gets from configuration: a missing secret stops it at start with a message naming the key.</summary>
public sealed class StripeOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, bool webhooks = false)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddStripeClient(configuration);
        if (webhooks) services.AddStripeWebhookVerification(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void A_missing_secret_key_is_refused_with_the_key_named()
    {
        using var services = Build([]);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StripeOptions>>().Value);

        Assert.Contains("Stripe:SecretKey", error.Message);
    }

    [Fact]
    public void The_api_base_is_stripes_unless_configured()
    {
        using var byDefault = Build(new() { ["Stripe:SecretKey"] = "sk_test_1" });
        using var local = Build(new() { ["Stripe:SecretKey"] = "sk_test_1", ["Stripe:ApiBase"] = "http://127.0.0.1:12111/" });

        Assert.Equal("https://api.stripe.com", byDefault.GetRequiredService<IStripeClient>().ApiBase);
        Assert.Equal("http://127.0.0.1:12111", local.GetRequiredService<IStripeClient>().ApiBase);
        Assert.Equal("sk_test_1", local.GetRequiredService<StripeClient>().ApiKey);
    }

    [Fact]
    public void Webhook_verification_needs_a_secret_and_binds_rotated_ones()
    {
        using var none = Build(new() { ["Stripe:SecretKey"] = "sk_test_1" }, webhooks: true);
        using var rolled = Build(new()
        {
            ["Stripe:SecretKey"] = "sk_test_1",
            ["Stripe:WebhookSecrets:0"] = "whsec_new",
            ["Stripe:WebhookSecrets:1"] = "whsec_old",
            ["Stripe:ConnectWebhookSecrets:0"] = "whsec_connect",
        }, webhooks: true);

        Assert.Contains("Stripe:WebhookSecrets", Assert.Throws<OptionsValidationException>(() => none.GetRequiredService<IOptions<StripeWebhookOptions>>().Value).Message);
        var options = rolled.GetRequiredService<IOptions<StripeWebhookOptions>>().Value;
        Assert.Equal(["whsec_new", "whsec_old"], options.WebhookSecrets);
        Assert.Equal(["whsec_connect"], options.ConnectWebhookSecrets);
        Assert.Equal(TimeSpan.FromSeconds(300), options.WebhookTolerance);
    }

    [Fact]
    public void Idempotency_keys_are_deterministic_and_unambiguous()
    {
        Assert.Equal(IdempotencyKeys.From("refund", "ord_1"), IdempotencyKeys.From("refund", "ord_1"));
        Assert.NotEqual(IdempotencyKeys.From("a:b", "c"), IdempotencyKeys.From("a", "b:c"));
        Assert.StartsWith("refund-", IdempotencyKeys.From("refund", new string('x', 1000)));
        Assert.True(IdempotencyKeys.From("refund", new string('x', 1000)).Length <= 255);
    }

    [Fact]
    public void App_metadata_always_carries_the_app_id()
    {
        var metadata = StripeConventions.AppMetadata("app_1", new Dictionary<string, string> { ["orderId"] = "ord_1", ["app_id"] = "spoofed" });

        Assert.Equal(new Dictionary<string, string> { ["orderId"] = "ord_1", ["app_id"] = "app_1" }, metadata);
        Assert.Equal("app_1", StripeConventions.AppIdOf(new Customer { Metadata = metadata }));
        Assert.Null(StripeConventions.AppIdOf(new Customer { Metadata = [] }));
    }
}
