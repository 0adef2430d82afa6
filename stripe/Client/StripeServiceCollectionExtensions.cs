using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Billing.Stripe;

/// <summary>Registers the Stripe client in a service's container.</summary>
public static class StripeServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="StripeOptions"/> from the <c>Stripe</c> section (validated at start: a
    /// missing <c>Stripe:SecretKey</c> stops the host with a message naming it) and registers
    /// <see cref="StripeClient"/> / <see cref="IStripeClient"/> as a typed HttpClient.
    /// </summary>
    /// <returns>The client's builder, to add handlers (logging, test doubles) if needed.</returns>
    public static IHttpClientBuilder AddStripeClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<StripeOptions>()
            .Bind(configuration.GetSection(StripeOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var builder = services.AddHttpClient<StripeClient>()
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectTimeout = sp.GetRequiredService<IOptions<StripeOptions>>().Value.ConnectTimeout,
                // The factory recycles handlers; pooled connections still follow DNS changes.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        services.AddTransient<IStripeClient>(sp => sp.GetRequiredService<StripeClient>());
        return builder;
    }

    /// <summary>
    /// Binds <see cref="StripeWebhookOptions"/> from the <c>Stripe</c> section (validated at
    /// start: no <c>Stripe:WebhookSecrets</c> stops the host) and registers a
    /// <see cref="WebhookSignatureVerifier"/> with the configured tolerance.
    /// </summary>
    public static IServiceCollection AddStripeWebhookVerification(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<StripeWebhookOptions>()
            .Bind(configuration.GetSection(StripeOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new WebhookSignatureVerifier(
            sp.GetRequiredService<IOptions<StripeWebhookOptions>>().Value.WebhookTolerance,
            sp.GetService<TimeProvider>()));
        return services;
    }
}
