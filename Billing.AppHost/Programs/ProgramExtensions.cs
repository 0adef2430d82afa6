using Aspire.Hosting.ApplicationModel;
using Billing.AppHost.Health;

namespace Billing.AppHost.Programs;

public static class ProgramExtensions
{
    /// <summary>
    /// What every service (and its migration) reads: the broker, Redis, its own database role, the
    /// Stripe API (the sandbox) and its secrets, the gateway's public identity key, console logging.
    /// </summary>
    public static IResourceBuilder<TProgram> WithSystemSettings<TProgram>(
        this IResourceBuilder<TProgram> program, SystemSettings settings, string schema, EndpointReference stripeApi)
        where TProgram : IResourceWithEnvironment
    {
        return program
            .WithReference(settings.Infrastructure.RabbitMq)
            .WithReference(settings.Infrastructure.Redis)
            .WithEnvironment($"ConnectionStrings__{schema}db", settings.Database(schema))
            .WithEnvironment("Stripe__ApiBase", stripeApi)
            .WithEnvironment("Stripe__SecretKey", settings.StripeSecretKey.Parameter)
            .WithEnvironment("Stripe__WebhookSecrets__0", settings.StripeWebhookSecret.Parameter)
            .WithEnvironment("Stripe__ConnectWebhookSecrets__0", settings.StripeConnectWebhookSecret.Parameter)
            .WithEnvironment("Identity__PublicKey", settings.Identity.PublicKey)
            // One line per log entry reads well in the dashboard's console view (the formatter name is
            // what makes the console logger read FormatterOptions); per-request lines of health probes are noise.
            .WithEnvironment("Logging__Console__FormatterName", "simple")
            .WithEnvironment("Logging__Console__FormatterOptions__SingleLine", "true")
            .WithEnvironment("Logging__Console__FormatterOptions__ColorBehavior", "Disabled")
            .WithEnvironment("Logging__LogLevel__Microsoft.AspNetCore", "Warning")
            // Npgsql and EF Core log every command at Information: one log record per SQL statement, sent to
            // the dashboard too, costs more than many of the statements; the traces already show each command.
            .WithEnvironment("Logging__LogLevel__Npgsql", "Warning")
            .WithEnvironment("Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command", "Warning");
    }

    /// <summary>
    /// The gateway's own settings (it checks them as it is built, so its migration gets them too):
    /// the operator key, the identity signing key, and every service's address for service discovery.
    /// </summary>
    public static IResourceBuilder<TProgram> WithGatewaySettings<TProgram>(
        this IResourceBuilder<TProgram> gateway, SystemSettings settings, IEnumerable<IResourceBuilder<ProjectResource>> services)
        where TProgram : IResourceWithEnvironment
    {
        gateway
            .WithEnvironment("Gateway__OperatorKey", settings.OperatorKey.Parameter)
            .WithEnvironment("Identity__SigningKey", settings.Identity.SigningKey.Parameter);
        foreach (var service in services) gateway.WithReference(service);
        return gateway;
    }

    /// <summary>
    /// The aspire-samples "migrator" pattern: <c>dotnet &lt;service&gt;.dll migrate</c> as its own
    /// resource, after provisioning; the service starts only once it finished.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> AddMigration<TProject>(
        this IDistributedApplicationBuilder builder, string service, SystemSettings settings, EndpointReference stripeApi,
        IResourceBuilder<IResource> provisioning)
        where TProject : IProjectMetadata, new() =>
        builder.AddBuiltProgram<TProject>($"{service}-migration", "migrate")
            .WithSystemSettings(settings, service, stripeApi)
            .WaitForCompletion(provisioning);

    /// <summary>
    /// A service: HTTP endpoint, healthy on <c>/health</c>, started once its migration finished and Redis and the sandbox
    /// are healthy. Not after the broker: its boot is the longest step of a start, so the service starts alongside it and
    /// waits for it itself before its bus starts (<c>Messaging:BrokerStartWait</c>); it is healthy once its bus is connected.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddService<TProject>(
        this IDistributedApplicationBuilder builder, string service, SystemSettings settings, IResourceBuilder<ProjectResource> stripe,
        IResourceBuilder<IResource> provisioning)
        where TProject : IProjectMetadata, new()
    {
        var stripeApi = stripe.GetEndpoint("http");
        var migration = builder.AddMigration<TProject>(service, settings, stripeApi, provisioning);
        return builder.AddProject<TProject>(service, launchProfileName: null)
            .WithHttpEndpoint()
            .WithHttpReadinessCheck("/health")
            .WithSystemSettings(settings, service, stripeApi)
            .WaitForCompletion(migration)
            .WaitFor(settings.Infrastructure.Redis)
            .WaitFor(stripe);
    }
}
