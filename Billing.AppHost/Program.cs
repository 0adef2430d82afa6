using System.Diagnostics;
using Billing.AppHost;
using Billing.AppHost.Database;
using Billing.AppHost.Health;
using Billing.AppHost.Programs;
using Billing.AppHost.Secrets;
using Billing.AppHost.Servers;
using Billing.Hosting;

// The whole system on one machine: ./run.sh [--data dir] [--wipe] [--port n] [--dashboard-port n] [--external].
// postgres ─ provisioning ─ <service>-migration ─┐
// redis, stripe ─────────────────────────────────┴─ services, gateway (ready once it reaches every service)
// rabbitmq: started alongside; each service waits for it itself before its bus starts (Messaging:BrokerStartWait)
var clock = Stopwatch.StartNew();
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(AppHostArguments.Usage);
    return 0;
}
AppHostArguments options;
try
{
    options = AppHostArguments.Parse(args, DataFolder.RepositoryRoot());
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"{e.Message} (--help lists the options)");
    return 2;
}
DataFolder.Prepare(options);

var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
{
    Args = [.. options.Rest, .. DashboardSettings.Arguments(options.DashboardPort, options.Rest)],
    // No developer HTTPS certificate here: the dashboard and its OTLP endpoint listen on http://localhost.
    AllowUnsecuredTransport = true,
});
var secrets = new SecretParameters(builder, SecretStore.Open(options.SecretsFile));

Infrastructure infrastructure;
try
{
    infrastructure = options.External ? Infrastructure.External(builder) : await Infrastructure.LocalAsync(builder, options.DataDirectory, secrets);
}
catch (Exception e) when (e is ArgumentException or HostingException)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
var settings = new SystemSettings(infrastructure, secrets);
var provisioning = builder.AddDatabaseProvisioning("provisioning", infrastructure.Postgres, ServiceNames.Schemas, secrets.Store);

var gateway = builder.AddProject<Projects.Billing_Gateway>("gateway", launchProfileName: null)
    .WithHttpEndpoint(port: options.GatewayPort);
var stripe = builder.AddProject<Projects.Billing_StripeSandbox>("stripe", launchProfileName: null)
    .WithHttpEndpoint()
    .WithHttpReadinessCheck("/health")
    .WithStripeSandboxSettings(settings, gateway);

var catalog = builder.AddService<Projects.Billing_Catalog>("catalog", settings, stripe, provisioning);
var subscriptions = builder.AddService<Projects.Billing_Subscriptions>("subscriptions", settings, stripe, provisioning);
var orders = builder.AddService<Projects.Billing_Orders>("orders", settings, stripe, provisioning);
// BillStack's checkout with mode=payment hands over to Orders; Orders mirrors the Subscriptions customers it is named by.
// Orders and Subscriptions ask Catalog about a product or plan whose ProductChanged or PlanChanged is still on the way.
// References only (no WaitFor): each finds the other on first use, so neither waits for the other to start.
subscriptions.WithReference(orders).WithReference(catalog);
orders.WithReference(subscriptions).WithReference(catalog);
var services = new[]
{
    catalog, subscriptions, orders,
    builder.AddService<Projects.Billing_Connect>("connect", settings, stripe, provisioning),
    builder.AddService<Projects.Billing_Usage>("usage", settings, stripe, provisioning),
    builder.AddService<Projects.Billing_Webhooks>("webhooks", settings, stripe, provisioning),
};

var gatewayMigration = builder.AddMigration<Projects.Billing_Gateway>("gateway", settings, stripe.GetEndpoint("http"), provisioning)
    .WithGatewaySettings(settings, services);
gateway
    .WithHttpReadinessCheck("/health")
    .WithSystemSettings(settings, "gateway", stripe.GetEndpoint("http"))
    .WithGatewaySettings(settings, services)
    .WaitForCompletion(gatewayMigration);
// Alongside the services, not after them: its /health is ready only once its proxy's own probes (every second)
// found every service healthy, so "all healthy" still means every route answers. Started after the services,
// its own start came on top of theirs (~3.5 s of a warm start).
// Not for the broker: like the services, it waits for it itself, so its start overlaps the broker's boot.
gateway.WaitFor(infrastructure.Redis);

builder.WithProgramRuntimeSettings();

var app = builder.Build();
StartupReport.Start(app, options, clock);
await app.RunAsync();
return 0;
