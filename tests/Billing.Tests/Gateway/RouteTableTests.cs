using System.Net;
using System.Net.Http.Headers;
using Billing.Tests.Infrastructure;
using Billing.Tests.Tenancy;

namespace Billing.Tests.Gateway;

/// <summary>A gateway in front of one echo server per service, with one tenant, shared by the route table tests.</summary>
public sealed class EchoGatewayFixture(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    public EchoBackends Backends { get; private set; } = null!;
    public TestGateway Gateway { get; private set; } = null!;
    public TestTenant Tenant { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Backends = await EchoBackends.StartAsync();
        Gateway = await TestGateway.StartAsync(infrastructure, Backends.Destinations());
        Tenant = await TestTenant.CreateAsync(Gateway);
    }

    /// <summary>
    /// A request for a route of API.md written with <c>app_1</c>, made for the tenant's app with the
    /// credential its audience needs: the operator key for admin routes, the account token for the
    /// dashboard, none for Stripe's webhooks, else the tenant's full secret key.
    /// </summary>
    public HttpRequestMessage Request(string method, string pathAndQuery)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), pathAndQuery.Replace("app_1", Tenant.AppId));
        var secret = pathAndQuery.StartsWith("/v1/admin", StringComparison.Ordinal) ? TestGateway.OperatorKey
            : pathAndQuery.StartsWith("/dashboard", StringComparison.Ordinal) ? Tenant.AccountToken
            : pathAndQuery.StartsWith("/webhooks", StringComparison.Ordinal) ? null
            : Tenant.SecretKey;
        if (secret is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return request;
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Backends.DisposeAsync();
    }
}

[Collection(InfrastructureCollection.Name)]
public sealed class RouteTableTests(EchoGatewayFixture fixture) : IClassFixture<EchoGatewayFixture>
{
    /// <summary>Every route of API.md (and a path below each prefix) with the service that owns it.</summary>
    public static TheoryData<string, string, string> ApiRoutes => new()
    {
        { "GET", "/v1/app_1/billing/plans", "catalog" },
        { "POST", "/v1/app_1/billing/plans", "catalog" },
        { "PUT", "/v1/app_1/billing/plans/plan_1", "catalog" },
        { "POST", "/v1/app_1/billing/plans/plan_1/archive", "catalog" },
        { "GET", "/v1/app_1/billing/products/prod_1", "catalog" },
        { "POST", "/v1/app_1/billing/customers", "subscriptions" },
        { "GET", "/v1/app_1/billing/customers/cus_1", "subscriptions" },
        { "POST", "/v1/app_1/billing/subscribe", "subscriptions" },
        { "POST", "/v1/app_1/billing/checkout", "subscriptions" },
        { "GET", "/v1/app_1/billing/checkout/verify?sessionId=cs_1", "subscriptions" },
        { "GET", "/v1/app_1/billing/subscription?customerId=cus_1", "subscriptions" },
        { "POST", "/v1/app_1/billing/subscription/change", "subscriptions" },
        { "GET", "/v1/app_1/billing/subscriptions?status=active", "subscriptions" },
        { "POST", "/v1/app_1/billing/cancel", "subscriptions" },
        { "POST", "/v1/app_1/billing/resume", "subscriptions" },
        { "POST", "/v1/app_1/billing/portal", "subscriptions" },
        { "POST", "/dashboard/billing/checkout", "subscriptions" },
        { "POST", "/dashboard/billing/portal", "subscriptions" },
        { "POST", "/v1/app_1/billing/purchase", "orders" },
        { "GET", "/v1/app_1/billing/orders/ord_1", "orders" },
        { "POST", "/v1/app_1/billing/orders/ord_1/refund", "orders" },
        { "POST", "/v1/app_1/billing/wallet/deposit", "orders" },
        { "GET", "/v1/app_1/billing/wallet?customerId=cus_1", "orders" },
        { "GET", "/v1/app_1/billing/wallet/transactions?customerId=cus_1", "orders" },
        { "POST", "/v1/app_1/billing/connect/onboard", "connect" },
        { "GET", "/v1/app_1/billing/connect/status", "connect" },
        { "POST", "/v1/app_1/creators", "connect" },
        { "PUT", "/v1/app_1/creators/cr_1/payout-settings", "connect" },
        { "GET", "/v1/app_1/creators/cr_1/payouts", "connect" },
        { "GET", "/v1/app_1/usage/meters", "usage" },
        { "POST", "/v1/app_1/usage/events", "usage" },
        { "GET", "/v1/app_1/usage?customerId=cus_1&startDate=2026-01-01", "usage" },
        { "GET", "/v1/app_1/usage/summary?customerId=cus_1", "usage" },
        { "GET", "/v1/app_1/entitlements/check?customerId=cus_1&meter=ai_tokens&quantity=1", "usage" },
        { "GET", "/dashboard/billing", "usage" },
        { "GET", "/dashboard/usage?startDate=2026-01-01", "usage" },
        { "POST", "/webhooks/stripe", "webhooks" },
        { "POST", "/webhooks/stripe/connect", "webhooks" },
        { "GET", "/v1/admin/webhook-events?type=invoice.paid", "webhooks" },
        { "POST", "/v1/admin/webhook-events/evt_1/replay", "webhooks" },
        { "POST", "/v1/admin/webhook-events/replay", "webhooks" },
        { "GET", "/v1/admin/dead-letters", "webhooks" },
    };

    [Theory]
    [MemberData(nameof(ApiRoutes))]
    public async Task Each_api_route_reaches_the_service_that_owns_it_with_path_and_query_unchanged(string method, string pathAndQuery, string service)
    {
        using var request = fixture.Request(method, pathAndQuery);
        if (method != "GET") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");

        using var response = await fixture.Gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await EchoReply.ReadAsync(response);
        Assert.Equal(service, echo.Service);
        Assert.Equal(method, echo.Method);
        Assert.Equal(pathAndQuery.Replace("app_1", fixture.Tenant.AppId), echo.Path + echo.Query);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/v1/app_1/billing")]
    [InlineData("/v1/app_1/billing/unknown")]
    [InlineData("/v1/app_1/billing/plansx")]
    [InlineData("/v1/app_1/usagex/meters")]
    [InlineData("/dashboard/billing/other")]
    [InlineData("/v1/admin/dead-letters/extra")]
    [InlineData("/webhooks/paypal")]
    public async Task A_path_the_table_does_not_know_is_the_gateways_own_not_found_problem(string path)
    {
        using var response = await fixture.Gateway.Client.GetAsync(path);

        await ProblemAssert.IsProblem(response, 404, "not_found");
    }
}
