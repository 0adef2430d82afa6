using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Billing.ServiceDefaults.Security;
using Billing.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Billing.Tests.Security;

/// <summary>
/// Each service checks the forwarded identity itself: reached directly without it, with a forged
/// or expired one, with another app's key or without the route's scope, it refuses.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class ServiceIdentityMatrixTests(InfrastructureFixture infrastructure)
{
    public sealed record ServiceRoute(string Schema, Func<string[], WebApplication> Build, string PathTemplate, string? Scope)
    {
        public override string ToString() => Schema;
        public string Path(string app) => PathTemplate.Replace("{app}", app);
    }

    public static TheoryData<ServiceRoute> Routes =>
    [
        new("catalog", Billing.Catalog.CatalogService.Build, "/v1/{app}/billing/plans", "catalog:read"),
        new("subscriptions", Billing.Subscriptions.SubscriptionsService.Build, "/v1/{app}/billing/subscriptions", "subscriptions:read"),
        new("orders", Billing.Orders.OrdersService.Build, "/v1/{app}/billing/orders", "orders:read"),
        new("connect", Billing.Connect.ConnectService.Build, "/v1/{app}/billing/connect/status", "connect:read"),
        new("usage", Billing.Usage.UsageService.Build, "/v1/{app}/usage/meters", "usage:read"),
        new("webhooks", Billing.Webhooks.WebhooksService.Build, "/v1/admin/webhook-events", null),
    ];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_service_refuses_every_caller_the_gateway_would_not_have_let_through(ServiceRoute route)
    {
        // The Webhooks service needs its Stripe secrets, and its bus fully started before it is stopped
        // again: a bus still connecting when its host stops lives on and consumes from the shared queues.
        await using var service = route.Schema == "webhooks"
            ? await Billing.Tests.Webhooks.WebhooksTestHost.StartAsync(infrastructure)
            : route.Schema == "catalog"
                ? await Billing.Tests.Catalog.CatalogTestHost.StartAsync(infrastructure)
                : await TestService.StartAsync(route.Build, infrastructure, route.Schema,
                    route.Schema is "subscriptions" or "orders" or "connect" ? Billing.Tests.Subscriptions.SubscriptionsTestHost.Settings() : null);
        var app = TestApps.NewAppId();
        var owner = route.Scope is null ? TestIdentity.Operator() : TestIdentity.SecretKey(app);

        await AssertStatus(HttpStatusCode.OK, service.ClientAs(owner), route.Path(app));
        await AssertProblem(HttpStatusCode.Unauthorized, "unauthorized", service.Client, route.Path(app));
        await AssertProblem(HttpStatusCode.Unauthorized, "unauthorized", WithToken(service, Tamper(TestIdentity.Sign(owner))), route.Path(app));
        await AssertProblem(HttpStatusCode.Unauthorized, "unauthorized",
            service.ClientAs(owner with { ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-5) }), route.Path(app));
        await AssertProblem(HttpStatusCode.Unauthorized, "unauthorized", WithToken(service, ForeignSignature(owner)), route.Path(app));

        if (route.Scope is { } scope)
        {
            await AssertProblem(HttpStatusCode.NotFound, "not_found", service.ClientFor(TestApps.NewAppId()), route.Path(app));
            var problem = await AssertProblem(HttpStatusCode.Forbidden, "missing_scope", service.ClientFor(app, "wallet:write"), route.Path(app));
            Assert.Equal(scope, problem.GetProperty("requiredScope").GetString());
            await AssertStatus(HttpStatusCode.OK, service.ClientFor(app, scope.Replace(":read", ":write")), route.Path(app));
            // The operator key belongs to no app: app routes do not exist for it.
            await AssertProblem(HttpStatusCode.NotFound, "not_found", service.ClientAs(TestIdentity.Operator()), route.Path(app));
        }
        else
        {
            await AssertProblem(HttpStatusCode.Forbidden, "missing_scope", service.ClientFor(app), route.Path(app));
        }
    }

    [Fact]
    public async Task A_publishable_key_reads_the_public_catalog_but_nothing_else()
    {
        await using var catalog = await Billing.Tests.Catalog.CatalogTestHost.StartAsync(infrastructure);
        await using var orders = await TestService.StartAsync(Billing.Orders.OrdersService.Build, infrastructure, "orders", Billing.Tests.Subscriptions.SubscriptionsTestHost.Settings());
        var app = TestApps.NewAppId();

        await AssertStatus(HttpStatusCode.OK, catalog.ClientAs(TestIdentity.PublishableKey(app)), $"/v1/{app}/billing/plans");
        await AssertProblem(HttpStatusCode.Forbidden, "missing_scope", orders.ClientAs(TestIdentity.PublishableKey(app)), $"/v1/{app}/billing/orders");
    }

    private static HttpClient WithToken(TestService service, string token)
    {
        var client = new HttpClient { BaseAddress = service.Address };
        client.DefaultRequestHeaders.Add(IdentityToken.Header, token);
        return client;
    }

    /// <summary>Changes the payload (another app) but keeps the original signature.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var otherPayload = ForeignSignature(TestIdentity.SecretKey(TestApps.NewAppId())).Split('.')[1];
        return $"{parts[0]}.{otherPayload}.{parts[2]}";
    }

    /// <summary>Well-formed, but signed by a key that is not the gateway's.</summary>
    private static string ForeignSignature(CallerIdentity identity)
    {
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return IdentityToken.Sign(identity, otherKey);
    }

    private static async Task AssertStatus(HttpStatusCode expected, HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(expected == response.StatusCode, $"{path}: expected {expected}, got {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonElement> AssertProblem(HttpStatusCode expected, string code, HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(expected == response.StatusCode, $"{path}: expected {expected}, got {response.StatusCode}: {problem}");
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }
}
