using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Billing.Stripe.Tests.Client;

public sealed class OptionsTests
{
    private static ServiceProvider Build(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddStripeClient(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Missing_secret_key_fails_start_validation_naming_the_setting()
    {
        using var provider = Build(new ConfigurationBuilder().Build());

        // ValidateOnStart runs through IStartupValidator when the host starts.
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Stripe:SecretKey", error.Message);
    }

    [Fact]
    public void Invalid_api_base_fails_validation()
    {
        using var provider = Build(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Stripe:SecretKey"] = "sk_test_1", ["Stripe:ApiBase"] = "not a url" })
            .Build());

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StripeOptions>>().Value);

        Assert.Contains("Stripe:ApiBase", error.Message);
    }

    [Fact]
    public void Defaults_apply_when_only_the_key_is_given()
    {
        using var provider = Build(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Stripe:SecretKey"] = "sk_test_1" })
            .Build());

        var options = provider.GetRequiredService<IOptions<StripeOptions>>().Value;

        Assert.Equal("https://api.stripe.com", options.ApiBase);
        Assert.Equal(StripeOptions.DefaultApiVersion, options.ApiVersion);
        Assert.Equal(2, options.MaxNetworkRetries);
    }

    [Fact]
    public async Task Environment_variables_configure_the_registered_client()
    {
        await using var server = await ScriptedStripeServer.StartAsync();
        server.Respond(200, """{"id":"cus_env","object":"customer","created":1}""");
        var prefix = $"BILLING_STRIPE_TEST_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable(prefix + "Stripe__SecretKey", "sk_test_from_env");
        Environment.SetEnvironmentVariable(prefix + "Stripe__ApiBase", server.BaseUrl);
        try
        {
            using var provider = Build(new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build());
            provider.GetRequiredService<IStartupValidator>().Validate();

            var customer = await provider.GetRequiredService<IStripeClient>().Customers.GetAsync("cus_env");

            Assert.Equal("cus_env", customer.Id);
            Assert.Equal("Bearer sk_test_from_env", server.Requests[0].Header("Authorization"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "Stripe__SecretKey", null);
            Environment.SetEnvironmentVariable(prefix + "Stripe__ApiBase", null);
        }
    }

    [Fact]
    public void Idempotency_keys_from_parts_are_stable_unambiguous_and_short()
    {
        var key = IdempotencyKeys.From("refund", "ord_1", "1");

        Assert.Equal(key, IdempotencyKeys.From("refund", "ord_1", "1"));
        Assert.NotEqual(IdempotencyKeys.From("a:b", "c"), IdempotencyKeys.From("a", "b:c"));
        Assert.StartsWith("refund-", key);
        Assert.True(IdempotencyKeys.From(new string('x', 5000)).Length <= 255);
    }

    [Fact]
    public void Webhook_verification_without_secrets_fails_start_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddStripeWebhookVerification(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Stripe:WebhookSecrets", error.Message);
    }

    [Fact]
    public void Webhook_secrets_bind_as_a_list_and_the_verifier_uses_the_configured_tolerance()
    {
        var services = new ServiceCollection();
        services.AddStripeWebhookVerification(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Stripe:WebhookSecrets:0"] = "whsec_new",
                ["Stripe:WebhookSecrets:1"] = "whsec_old",
                ["Stripe:ConnectWebhookSecrets:0"] = "whsec_connect",
                ["Stripe:WebhookTolerance"] = "00:00:10",
            })
            .Build());
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var options = provider.GetRequiredService<IOptions<StripeWebhookOptions>>().Value;
        var verifier = provider.GetRequiredService<WebhookSignatureVerifier>();
        const string body = "{}";

        Assert.Equal(["whsec_new", "whsec_old"], options.WebhookSecrets);
        Assert.Equal(["whsec_connect"], options.ConnectWebhookSecrets);
        Assert.True(verifier.Verify(body, WebhookSigner.CreateHeader(body, "whsec_old", DateTimeOffset.UtcNow), options.WebhookSecrets).IsValid);
        Assert.Equal(WebhookFailureReason.TimestampTooOld,
            verifier.Verify(body, WebhookSigner.CreateHeader(body, "whsec_new", DateTimeOffset.UtcNow.AddSeconds(-30)), options.WebhookSecrets).Reason);
    }

    [Fact]
    public void Client_created_outside_di_applies_the_same_validation()
    {
        var noKey = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() => StripeClient.Create(new StripeOptions()));
        var negativeDelay = Assert.Throws<System.ComponentModel.DataAnnotations.ValidationException>(() =>
            StripeClient.Create(new StripeOptions { SecretKey = "sk_test_1", InitialRetryDelay = TimeSpan.FromSeconds(-1) }));

        Assert.Contains("Stripe:SecretKey", noKey.Message);
        Assert.Contains("Stripe:InitialRetryDelay", negativeDelay.Message);
    }
}
