using Billing.AppHost.Logging;
using Billing.AppHost.Resources;
using Billing.Hosting;

namespace Billing.AppHost.Startup;

/// <summary>
/// Every resource of one run and how they are wired: the infrastructure, the Stripe sandbox, the
/// services and the gateway, each .NET program configured by the Aspire conventions through its
/// environment. Programs not built yet are left out with a one-line notice.
/// </summary>
public sealed class SystemModel
{
    private SystemModel(Infrastructure infrastructure, DotnetResource? sandbox, IReadOnlyList<DotnetResource> services, DotnetResource? gateway)
    {
        Infrastructure = infrastructure;
        Sandbox = sandbox;
        Services = services;
        Gateway = gateway;
    }

    public Infrastructure Infrastructure { get; }
    public DotnetResource? Sandbox { get; }
    public IReadOnlyList<DotnetResource> Services { get; }
    public DotnetResource? Gateway { get; }

    /// <summary>In start order; shutdown walks it backwards.</summary>
    public IReadOnlyList<Resource> All =>
        [.. Infrastructure.All, .. Sandbox is null ? [] : new[] { Sandbox }, .. Services, .. Gateway is null ? [] : new[] { Gateway }];

    /// <summary>The programs with a schema, which get a migrate step and a connection string.</summary>
    public IEnumerable<(DotnetResource Resource, string Schema)> Migrated =>
        Services.Append(Gateway).OfType<DotnetResource>().Select(r => (r, r.Name));

    public static SystemModel Build(AppHostOptions options, Infrastructure infrastructure, SecretStore secrets, ConsoleSink console, PortAllocator ports)
    {
        var present = new List<(ProgramInfo Program, int Port)>();
        foreach (var program in Programs.Services.Prepend(Programs.Sandbox).Append(Programs.Gateway))
        {
            if (File.Exists(program.DllPath(options.Root)))
                present.Add((program, program.Kind == ResourceKind.Gateway ? options.GatewayPort : ports.Next()));
            else
                console.Info($"{program.Name}: not built yet ({Path.GetRelativePath(options.Root, program.DllPath(options.Root))} is missing); skipped.");
        }

        var identity = IdentityKeys.From(secrets);
        var shared = SharedEnvironment(infrastructure, secrets, present);
        shared["Identity__PublicKey"] = identity.PublicKey;
        DotnetResource Create((ProgramInfo Program, int Port) p)
        {
            var environment = new Dictionary<string, string>(shared)
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{p.Port}",
                ["OTEL_SERVICE_NAME"] = p.Program.Name,
            };
            if (p.Program.Kind == ResourceKind.Sandbox) AddSandboxSettings(environment, p.Port, secrets, present);
            if (p.Program.Kind == ResourceKind.Gateway)
            {
                environment["Gateway__OperatorKey"] = secrets.Get("operator-key", "bop_");
                environment["Identity__SigningKey"] = identity.SigningKey;
            }
            var advice = p.Program.Kind == ResourceKind.Gateway ? "stop what uses it or choose another with --port <port>" : "stop what uses it";
            return new DotnetResource(p.Program.Name, p.Program.Kind, p.Program.DllPath(options.Root), p.Port, environment,
                new ResourceLog(p.Program.Name, console), advice);
        }

        return new SystemModel(
            infrastructure,
            present.Where(p => p.Program.Kind == ResourceKind.Sandbox).Select(Create).FirstOrDefault(),
            present.Where(p => p.Program.Kind == ResourceKind.Service).Select(Create).ToList(),
            present.Where(p => p.Program.Kind == ResourceKind.Gateway).Select(Create).FirstOrDefault());
    }

    /// <summary>After provisioning: each program's own role, as <c>ConnectionStrings__{name}db</c>.</summary>
    public void SetDatabaseConnections(IReadOnlyDictionary<string, string> bySchema)
    {
        foreach (var (resource, schema) in Migrated) resource.Environment[$"ConnectionStrings__{schema}db"] = bySchema[schema];
    }

    private static Dictionary<string, string> SharedEnvironment(
        Infrastructure infrastructure, SecretStore secrets, IReadOnlyList<(ProgramInfo Program, int Port)> present)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__rabbitmq"] = infrastructure.RabbitMqConnection,
            ["ConnectionStrings__redis"] = infrastructure.RedisConnection,
            ["Stripe__SecretKey"] = secrets.Get("stripe-secret-key", "sk_test_"),
            ["Stripe__WebhookSecrets__0"] = secrets.Get("stripe-webhook-secret", "whsec_"),
            ["Stripe__ConnectWebhookSecrets__0"] = secrets.Get("stripe-connect-webhook-secret", "whsec_"),
            // One line per log entry reads well behind the [name] prefix (the formatter name is what makes
            // the console logger read FormatterOptions); per-request lines of the health probes are noise.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (program, port) in present) environment[$"services__{program.Name}__http__0"] = $"http://127.0.0.1:{port}";
        if (present.Any(p => p.Program.Kind == ResourceKind.Sandbox))
            environment["Stripe__ApiBase"] = environment[$"services__{Programs.Sandbox.Name}__http__0"];
        if (Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } otlp)
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
        return environment;
    }

    /// <summary>The sandbox accepts our secret key and delivers webhooks, signed with our secrets, through the gateway to the Webhooks service.</summary>
    private static void AddSandboxSettings(
        Dictionary<string, string> environment, int port, SecretStore secrets, IReadOnlyList<(ProgramInfo Program, int Port)> present)
    {
        environment["Sandbox__ApiKeys__0"] = secrets.Get("stripe-secret-key", "sk_test_");
        environment["Sandbox__PublicBaseUrl"] = $"http://127.0.0.1:{port}";
        // Deliveries go through the gateway, as Stripe's do in production, to reach the Webhooks service.
        if (present.All(p => p.Program.Name != "webhooks")) return;
        if (present.FirstOrDefault(p => p.Program.Kind == ResourceKind.Gateway) is not { Program: not null } gateway) return;
        var url = $"http://127.0.0.1:{gateway.Port}";
        environment["Sandbox__WebhookEndpoints__0__Url"] = url + "/webhooks/stripe";
        environment["Sandbox__WebhookEndpoints__0__Secret"] = secrets.Get("stripe-webhook-secret", "whsec_");
        environment["Sandbox__WebhookEndpoints__0__Connect"] = "false";
        environment["Sandbox__WebhookEndpoints__1__Url"] = url + "/webhooks/stripe/connect";
        environment["Sandbox__WebhookEndpoints__1__Secret"] = secrets.Get("stripe-connect-webhook-secret", "whsec_");
        environment["Sandbox__WebhookEndpoints__1__Connect"] = "true";
    }
}
