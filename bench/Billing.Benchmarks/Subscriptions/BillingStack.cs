using System.Net.Http.Json;
using System.Text.Json;
using Billing.Benchmarks.Infrastructure;
using Billing.Catalog;
using Billing.Gateway;
using Billing.Gateway.Routing;
using Billing.Hosting;
using Billing.ServiceDefaults.Security;
using Billing.StripeSandbox;
using Billing.Subscriptions;
using Billing.Webhooks;
using Npgsql;

namespace Billing.Benchmarks.Subscriptions;

/// <summary>
/// Selling a plan for real, in the benchmark process: Postgres (durable), RabbitMQ and Redis of its
/// own; the Stripe sandbox delivering its webhooks to the gateway's <c>/webhooks/stripe</c>; the
/// Webhooks, Catalog and Subscriptions services with Stripe.net pointed at the sandbox; the gateway
/// routing to them; an app with a secret key, and one monthly plan created through the gateway and
/// synced to Stripe by the Catalog. Wired as the end-to-end tests' SystemFixture wires them, with the
/// services' production settings (no test-speed retries).
/// </summary>
public sealed class BillingStack : IAsyncDisposable
{
    public const string StripeKey = "sk_test_bench_billing";
    public const string SuccessUrl = "https://shop.example.com/done?session={CHECKOUT_SESSION_ID}";
    public const string CancelUrl = "https://shop.example.com/cancel";
    private const string WebhookSecret = "whsec_bench_billing";

    private readonly List<IAsyncDisposable> _owned = [];
    private string _signingKey = "";

    private BillingStack(StackServers servers) => Servers = servers;

    public StackServers Servers { get; }
    public BenchHost Sandbox { get; private set; } = null!;
    public BenchHost Webhooks { get; private set; } = null!;
    public BenchHost Subscriptions { get; private set; } = null!;
    public BenchHost Gateway { get; private set; } = null!;
    public BenchTenant Tenant { get; private set; } = null!;
    /// <summary>A client of the gateway with the app's secret key.</summary>
    public HttpClient App { get; private set; } = null!;
    /// <summary>The sandbox's API with the platform's Stripe key, form-encoded as Stripe's.</summary>
    public HttpClient Stripe { get; private set; } = null!;
    public string PlanId { get; private set; } = "";
    /// <summary>The Stripe price behind the plan's monthly price, as the Catalog synced it.</summary>
    public string StripePriceId { get; private set; } = "";
    /// <summary>The Subscriptions service's schema, read by the benchmarks to see state change.</summary>
    public NpgsqlDataSource SubscriptionsDb { get; private set; } = null!;
    public NpgsqlDataSource WebhooksDb { get; private set; } = null!;

    /// <summary>CPU of this process (sandbox, services, gateway, load), Postgres and RabbitMQ: where a rate's limit is on a shared machine.</summary>
    public CpuUsage Cpu() => new(new Dictionary<string, int>
    {
        ["Postgres"] = Servers.Postgres.Process!.Pid,
        ["RabbitMQ"] = Servers.RabbitMq.Process!.Pid,
    });

    public string Path(string rest) => $"/v1/{Tenant.AppId}/billing/{rest}";

    /// <param name="eventConcurrency">Subscriptions' <c>Subscriptions:EventConcurrency</c>; null: the service's default.</param>
    public static async Task<BillingStack> StartAsync(int? eventConcurrency = null)
    {
        Console.WriteLine("starting Postgres (durable), RabbitMQ and Redis on loopback ...");
        var stack = new BillingStack(await StackServers.StartAsync("gateway", WebhooksService.Name, CatalogService.Name, SubscriptionsService.Name));
        try
        {
            await stack.StartServicesAsync(eventConcurrency);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    private async Task StartServicesAsync(int? eventConcurrency)
    {
        Console.WriteLine("starting the sandbox, Webhooks, Catalog, Subscriptions and the gateway ...");
        // The sandbox needs the gateway's address for its webhook endpoint before the gateway can start
        // (the gateway needs the services, which need the sandbox): the gateway's port is chosen first.
        var gatewayUrl = $"http://127.0.0.1:{FreePort.Next()}";
        Sandbox = Own(await BenchHost.StartAsync(SandboxApp.Build, new()
        {
            ["Sandbox:ApiKeys:0"] = StripeKey,
            ["Sandbox:WebhookEndpoints:0:Url"] = $"{gatewayUrl}/webhooks/stripe",
            ["Sandbox:WebhookEndpoints:0:Secret"] = WebhookSecret,
            // A failed delivery (none is expected) is retried within the run rather than in 5 minutes.
            ["Sandbox:Delivery:InitialBackoff"] = "00:00:01",
            // Stripe sends an endpoint's events in parallel, unordered; the sandbox's default of 8 in flight
            // capped deliveries at 8 / (one POST's time): ~48/s when a POST took 167 ms on the busy machine.
            ["Sandbox:Delivery:Concurrency"] = "64",
        }));
        var (signingKey, publicKey) = IdentityToken.NewKeyPair();
        _signingKey = signingKey;
        Dictionary<string, string?> Service(string schema) => new()
        {
            [$"ConnectionStrings:{schema}db"] = Servers.Database(schema),
            ["ConnectionStrings:rabbitmq"] = Servers.RabbitMq.ConnectionString,
            ["Identity:PublicKey"] = publicKey,
            ["Stripe:SecretKey"] = StripeKey,
            ["Stripe:ApiBase"] = Sandbox.Address.GetLeftPart(UriPartial.Authority),
            // Queues bound before the first call: nothing published at the start is missed.
            ["Messaging:WaitUntilBusStarted"] = "true",
        };
        var webhooks = Service(WebhooksService.Name);
        webhooks["Stripe:WebhookSecrets:0"] = WebhookSecret;
        // The reconciler (a safety net re-reading Stripe's event list) is off, as in the webhooks benchmark.
        webhooks["Webhooks:ReconcileEnabled"] = "false";
        Webhooks = Own(await BenchHost.StartAsync(WebhooksService.Build, webhooks));
        var catalogSettings = Service(CatalogService.Name);
        catalogSettings["Catalog:SeedPlatformTiers"] = "false";
        var catalog = Own(await BenchHost.StartAsync(CatalogService.Build, catalogSettings));
        var subscriptions = Service(SubscriptionsService.Name);
        if (eventConcurrency is { } concurrency) subscriptions["Subscriptions:EventConcurrency"] = concurrency.ToString();
        Subscriptions = Own(await BenchHost.StartAsync(SubscriptionsService.Build, subscriptions));

        var operatorKey = "bop_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var gateway = new Dictionary<string, string?>
        {
            ["urls"] = gatewayUrl,
            ["ConnectionStrings:gatewaydb"] = Servers.Database("gateway"),
            ["ConnectionStrings:redis"] = Servers.Redis.ConnectionString,
            ["ConnectionStrings:rabbitmq"] = Servers.RabbitMq.ConnectionString,
            ["Identity:SigningKey"] = signingKey,
            ["Gateway:OperatorKey"] = operatorKey,
            ["Gateway:RateLimit:Limit"] = "10000000",
            ["Messaging:WaitUntilBusStarted"] = "true",
        };
        // Orders, Connect and Usage are not part of this flow: their addresses are required, never called.
        foreach (var service in ServiceNames.All) gateway[$"services:{service}:http:0"] = catalog.Address.ToString();
        gateway[$"services:{WebhooksService.Name}:http:0"] = Webhooks.Address.ToString();
        gateway[$"services:{SubscriptionsService.Name}:http:0"] = Subscriptions.Address.ToString();
        Gateway = Own(await BenchHost.StartAsync(GatewayService.Build, gateway));

        Tenant = await BenchTenant.CreateAsync(Gateway.Address, operatorKey, "https://shop.example.com");
        App = Tenant.KeyClient(Gateway.Address);
        Stripe = BenchTenant.Client(Sandbox.Address);
        Stripe.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", StripeKey);
        SubscriptionsDb = NpgsqlDataSource.Create(Servers.Database(SubscriptionsService.Name));
        WebhooksDb = NpgsqlDataSource.Create(Servers.Database(WebhooksService.Name));
        await CreatePlanAsync();
    }

    /// <summary>A monthly plan through the gateway, waited on until the Catalog synced it and Subscriptions sells it.</summary>
    private async Task CreatePlanAsync()
    {
        Console.WriteLine("creating a plan and waiting for its Stripe sync ...");
        var plan = await BenchTenant.CreatedAsync(await App.PostAsJsonAsync(Path("plans"), new { name = "Pro", priceCents = 2900, interval = "month" }));
        PlanId = plan.GetProperty("id").GetString()!;
        await UntilAsync("the plan's Stripe sync", async () =>
        {
            var read = await App.GetFromJsonAsync<JsonElement>(Path($"plans/{PlanId}"));
            return read.GetProperty("stripe").GetProperty("syncStatus").GetString() == "synced";
        });
        // Subscriptions learns the synced plan from Catalog's PlanChanged: sellable once its projection has it.
        await UntilAsync("the plan in Subscriptions' projection", async () =>
        {
            await using var read = SubscriptionsDb.CreateCommand(
                "select pr.stripe_price_id from subscriptions.catalog_plans p join subscriptions.catalog_prices pr on pr.plan_id = p.id where p.id = $1 and p.sellable");
            read.Parameters.Add(new NpgsqlParameter { Value = PlanId });
            StripePriceId = await read.ExecuteScalarAsync() as string ?? "";
            return StripePriceId.Length > 0;
        });
    }

    /// <summary>
    /// A client of the Subscriptions service itself, with the signed identity the gateway forwards for
    /// the app's key: the same calls without the gateway, to tell its share from the service's.
    /// </summary>
    public HttpClient DirectSubscriptionsClient()
    {
        var client = BenchTenant.Client(Subscriptions.Address);
        using var key = IdentityToken.ImportSigningKey(_signingKey);
        var identity = new CallerIdentity
        {
            Kind = CallerKind.SecretKey, KeyId = Tenant.KeyId, AccountId = Tenant.AccountId, AppId = Tenant.AppId, Mode = "test",
            Scopes = [CallerIdentity.AllScopes], RedirectOrigins = ["https://shop.example.com"], ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
        };
        client.DefaultRequestHeaders.Add(IdentityToken.Header, IdentityToken.Sign(identity, key));
        return client;
    }

    /// <summary>Subscribe for a new customer (external id) through the gateway: 201 with a new Checkout Session.</summary>
    public Task<JsonElement> SubscribeNewCustomerAsync(HttpClient? client = null) =>
        SubscribeAsync("user-" + Guid.NewGuid().ToString("N"), client);

    /// <summary>Subscribe for the customer with this external id (made when new) through the gateway: 201 with a new Checkout Session.</summary>
    public async Task<JsonElement> SubscribeAsync(string externalId, HttpClient? client = null) =>
        await BenchTenant.CreatedAsync(await (client ?? App).PostAsJsonAsync(Path("subscribe"), new
        {
            planId = PlanId, interval = "month", customerExternalId = externalId, email = $"{externalId}@example.com",
            successUrl = SuccessUrl, cancelUrl = CancelUrl,
        }));

    /// <summary>A form-encoded call to the sandbox's API; throws with the body on an error.</summary>
    public async Task<JsonElement> StripePostAsync(string path, params (string Key, string Value)[] form)
    {
        using var response = await Stripe.PostAsync(path, new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value))));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Sandbox {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static async Task UntilAsync(string what, Func<Task<bool>> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {seconds} s for {what}.");
            await Task.Delay(100);
        }
    }

    private T Own<T>(T owned) where T : IAsyncDisposable
    {
        _owned.Add(owned);
        return owned;
    }

    public async ValueTask DisposeAsync()
    {
        App?.Dispose();
        Stripe?.Dispose();
        if (SubscriptionsDb is not null) await SubscriptionsDb.DisposeAsync();
        if (WebhooksDb is not null) await WebhooksDb.DisposeAsync();
        // The gateway first, the sandbox last: the reverse of the start.
        for (var i = _owned.Count - 1; i >= 0; i--) await _owned[i].DisposeAsync();
        await Servers.DisposeAsync();
    }
}
