using Billing.ServiceDefaults.Data;
using MassTransit;
using MassTransit.Middleware;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Billing.ServiceDefaults.Messaging;

public static class ServiceBusExtensions
{
    public const string ConnectionName = "rabbitmq";

    /// <summary>
    /// MassTransit on RabbitMQ (<c>ConnectionStrings:rabbitmq</c>) with the transactional outbox
    /// and inbox in the service's own schema. Call after <c>AddServiceDatabase&lt;TContext&gt;</c>;
    /// <typeparamref name="TContext"/> must call <c>modelBuilder.AddMessagingTables()</c>.
    /// Queues are named <c>{schema}-{consumer-in-kebab-case}</c>; a message that still fails after
    /// its retries lands in the queue's <c>_error</c> queue, with the reason logged at Error.
    /// </summary>
    public static WebApplicationBuilder AddServiceBus<TContext>(this WebApplicationBuilder builder, Action<IBusRegistrationConfigurator>? consumers = null)
        where TContext : DbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                $"Missing configuration ConnectionStrings:{ConnectionName} (environment variable ConnectionStrings__{ConnectionName}): the amqp:// address of RabbitMQ.");
        var broker = RabbitMqAddress.Parse(connectionString, $"ConnectionStrings:{ConnectionName}");
        var schema = builder.Services.Select(d => d.ImplementationInstance).OfType<ServiceSchema>().LastOrDefault()
            ?? throw new InvalidOperationException("AddServiceBus needs AddServiceDatabase first: the outbox and inbox live in the service's own schema.");

        var services = builder.Services;
        services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxStore>();
        services.AddSingleton<OutboxCommitInterceptor>();
        services.ConfigureDbContext<TContext>((provider, options) => options.AddInterceptors(provider.GetRequiredService<OutboxCommitInterceptor>()));

        // Before MassTransit's own hosted service: hosted services start in order, and the web server after them.
        services.AddHostedService(provider => ActivatorUtilities.CreateInstance<BrokerStartWait>(provider, broker));
        services.AddMassTransit(bus =>
        {
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(schema.Name, includeNamespace: false));
            consumers?.Invoke(bus);
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = ConnectionName;
                health.Tags.Add("ready");
            });
            bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                var options = context.GetRequiredService<IOptions<MessagingOptions>>().Value;
                var logger = context.GetRequiredService<ILoggerFactory>().CreateLogger("Billing.Messaging.DeadLetter");
                endpoint.UseMessageRetry(retry => retry.Exponential(
                    options.RetryLimit, options.RetryMinInterval, options.RetryMaxInterval, options.RetryIntervalDelta));
                // MassTransit's default error pipe (a Fault event, then the _error queue), with the reason logged after.
                endpoint.ConfigureError(error =>
                {
                    error.UseFilter(new DeadLetterLoggingFilter(logger));
                    error.UseFilter(new GenerateFaultFilter());
                    error.UseFilter(new ErrorTransportFilter());
                });
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(broker.Host, broker.Port, broker.VirtualHost, host =>
                {
                    host.Username(broker.Username);
                    host.Password(broker.Password);
                    // A publish completes only once the broker has the message: the relay marks a row
                    // published on that answer, never on hope.
                    host.PublisherConfirmation = true;
                });
                rabbit.ConfigureEndpoints(context);
            });
        });

        // After MassTransit's own hosted service, so that on shutdown (reverse order) the relay
        // stops before the bus it publishes to.
        services.AddOptions<MassTransitHostOptions>().Configure<IOptions<MessagingOptions>>((host, messaging) =>
        {
            host.WaitUntilStarted = messaging.Value.WaitUntilBusStarted;
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });
        services.AddHostedService<OutboxRelay>();
        services.AddHostedService<OutboxNotificationListener>();
        services.AddHostedService<OutboxPeerNotifier>();
        services.AddHostedService<MessagingCleanup>();
        return builder;
    }
}
