using Billing.ServiceDefaults.Errors;
using Billing.Stripe.Webhooks;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Stripe;

namespace Billing.Stripe;

/// <summary>Registers Stripe.net the way every service uses it.</summary>
public static class StripeServiceCollectionExtensions
{
    /// <summary>The named HttpClient Stripe.net sends through.</summary>
    public const string HttpClientName = "stripe";

    /// <summary>
    /// Binds <see cref="StripeOptions"/> (validated at start: a missing <c>Stripe:SecretKey</c> stops the
    /// host with a message naming it) and registers Stripe.net's <see cref="StripeClient"/> /
    /// <see cref="IStripeClient"/> over an HttpClient from <see cref="IHttpClientFactory"/> with the
    /// standard resilience handler. Also maps a <see cref="StripeException"/> escaping a handler to the
    /// <c>stripe_error</c> 502 problem.
    /// </summary>
    /// <returns>The HttpClient's builder, to add handlers (tests) if needed.</returns>
    public static IHttpClientBuilder AddStripeClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<StripeOptions>()
            .Bind(configuration.GetSection(StripeOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var http = services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(30),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        // One retry layer: the standard resilience handler (429/5xx/408 and connection failures, with
        // backoff, jitter and Retry-After; circuit breaker; timeouts), and Stripe.net's own retries off
        // (maxNetworkRetries: 0 below), so an outage costs 1 + MaxNetworkRetries attempts, not their product.
        // A retried POST never acts twice: Stripe.net puts an Idempotency-Key on every POST (ours from
        // IdempotencyKeys, else a fresh GUID), and the handler re-sends the same request with its headers.
        // ServiceDefaults gives every HttpClient the default handler; this client replaces it with its own,
        // else the two would nest and multiply the attempts (and the default's 10 s attempt timeout would apply).
        // (Marked for evaluation by the library; it is the documented way to replace the default handler.)
#pragma warning disable EXTEXP0001
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        http.AddStandardResilienceHandler();
        services.AddOptions<HttpStandardResilienceOptions>($"{HttpClientName}-standard")
            .Configure<IOptions<StripeOptions>>((resilience, stripe) => ConfigureResilience(resilience, stripe.Value));

        // Transient, like a typed client: each gets a fresh HttpClient, so the factory's handler rotation applies.
        services.AddTransient(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StripeOptions>>().Value;
            var client = sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName);
            return new StripeClient(new StripeClientOptions
            {
                ApiKey = options.SecretKey,
                ApiBase = options.ApiBase.TrimEnd('/'),
                HttpClient = new SystemNetHttpClient(client, maxNetworkRetries: 0),
            });
        });
        services.AddTransient<IStripeClient>(sp => sp.GetRequiredService<StripeClient>());

        // Before ServiceDefaults' catch-all handler, which would answer a StripeException with a 500.
        services.Insert(0, ServiceDescriptor.Singleton<IExceptionHandler>(sp =>
            new StripeExceptionHandler(ActivatorUtilities.CreateInstance<ProblemDetailsExceptionHandler>(sp))));
        return http;
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, StripeOptions stripe)
    {
        // Stripe answers slow calls (a list of 100 expanded objects) in seconds, not tens of them; 80 s is Stripe.net's own total.
        resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
        resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(80);
        resilience.Retry.MaxRetryAttempts = Math.Max(1, stripe.MaxNetworkRetries);
        // Stripe's SDKs start at 0.5 s (the handler's default is 2 s); exponential with jitter from there.
        resilience.Retry.Delay = TimeSpan.FromMilliseconds(500);
        resilience.Retry.ShouldHandle = args =>
        {
            if (stripe.MaxNetworkRetries == 0) return ValueTask.FromResult(false);
            // Stripe says when a retry would (not) help, e.g. false on a 500 its idempotency layer already settled.
            if (args.Outcome.Result?.Headers.TryGetValues("Stripe-Should-Retry", out var values) == true)
                return ValueTask.FromResult(string.Equals(values.FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase));
            // 409: the same idempotency key is still in flight; a retry gets the saved answer (Stripe's SDKs retry it too).
            return ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)
                || args.Outcome.Result?.StatusCode == System.Net.HttpStatusCode.Conflict);
        };
    }

    /// <summary>
    /// Binds <see cref="StripeWebhookOptions"/> from the <c>Stripe</c> section (validated at start: no
    /// <c>Stripe:WebhookSecrets</c> stops the host) and registers a <see cref="StripeWebhookVerifier"/>
    /// with the configured tolerance.
    /// </summary>
    public static IServiceCollection AddStripeWebhookVerification(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<StripeWebhookOptions>()
            .Bind(configuration.GetSection(StripeOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new StripeWebhookVerifier(
            sp.GetRequiredService<IOptions<StripeWebhookOptions>>().Value.WebhookTolerance,
            sp.GetService<TimeProvider>()));
        return services;
    }
}
