using Billing.Gateway.Routing;
using Billing.ServiceDefaults.Security;
using Billing.Tests.Infrastructure;
using Billing.Tests.Tenancy;

namespace Billing.Tests.Gateway;

/// <summary>
/// Every row of <see cref="RouteTable"/>, read and write, driven through the real gateway to echo
/// servers: who gets in, who gets 401/403/404, and what identity the service receives.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class IsolationMatrixTests(IsolationMatrixFixture fixture) : IClassFixture<IsolationMatrixFixture>
{
    public static TheoryData<string, string> AppRoutes() => Cases(Audience.AppKey);

    public static TheoryData<string, string> AccountRoutes() => Cases(Audience.Account);

    public static TheoryData<string, string> OperatorRoutes() => Cases(Audience.Operator);

    public static TheoryData<string, string> PublicRoutes() => Cases(Audience.Public);

    [Fact]
    public void The_matrix_covers_every_row_of_the_route_table()
    {
        var covered = new[] { AppRoutes(), AccountRoutes(), OperatorRoutes(), PublicRoutes() }.Sum(cases => cases.Count());
        Assert.Equal(RouteTable.Routes.Count * 2, covered);
    }

    [Theory]
    [MemberData(nameof(AppRoutes))]
    public async Task App_route_reaches_the_service_with_the_keys_signed_identity_and_never_a_forged_one(string method, string pattern)
    {
        var route = Row(pattern);
        var scope = route.Access(IsRead(method)).Scope!;

        using var response = await fixture.SendAsync(method, PathFor(route, fixture.Tenant.AppId), fixture.Tenant.SecretKey);

        Assert.Equal(200, (int)response.StatusCode);
        var echo = await EchoReply.ReadAsync(response);
        Assert.Equal(route.Service, echo.Service);
        Assert.Null(echo.Authorization);
        var identity = IdentityAssert.Verified(echo);
        Assert.Equal(CallerKind.SecretKey, identity.Kind);
        Assert.Equal(fixture.Tenant.AppId, identity.AppId);
        Assert.Equal(fixture.Tenant.KeyId, identity.KeyId);
        Assert.Equal(fixture.Tenant.AccountId, identity.AccountId);
        Assert.Equal("test", identity.Mode);
        Assert.True(identity.HasScope(scope));
        Assert.Equal(["https://shop.example.com"], identity.RedirectOrigins);
    }

    [Theory]
    [MemberData(nameof(AppRoutes))]
    public async Task App_route_with_another_apps_key_is_404_and_never_reaches_the_service(string method, string pattern)
    {
        using var response = await fixture.SendAsync(method, PathFor(Row(pattern), fixture.Tenant.AppId), fixture.Other.SecretKey);

        await ProblemAssert.IsProblem(response, 404, "not_found");
    }

    [Theory]
    [MemberData(nameof(AppRoutes))]
    public async Task App_route_with_a_key_lacking_its_scope_is_403_naming_the_scope(string method, string pattern)
    {
        var route = Row(pattern);
        var scope = route.Access(IsRead(method)).Scope!;
        var lacking = route.Resource == "catalog" ? fixture.UsageWriteKey : fixture.CatalogWriteKey;

        using var response = await fixture.SendAsync(method, PathFor(route, fixture.Tenant.AppId), lacking);

        var problem = await ProblemAssert.IsProblem(response, 403, "missing_scope");
        Assert.Equal(scope, problem.GetProperty("requiredScope").GetString());
        Assert.Contains(scope, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [MemberData(nameof(AppRoutes))]
    public async Task App_route_with_a_read_only_key_allows_reads_and_refuses_writes(string method, string pattern)
    {
        var route = Row(pattern);

        using var response = await fixture.SendAsync(method, PathFor(route, fixture.Tenant.AppId), fixture.ReadOnlyKey);

        if (IsRead(method))
        {
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Contains($"{route.Resource}:read", IdentityAssert.Verified(await EchoReply.ReadAsync(response)).Scopes);
        }
        else
        {
            var problem = await ProblemAssert.IsProblem(response, 403, "missing_scope");
            Assert.Equal($"{route.Resource}:write", problem.GetProperty("requiredScope").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(AppRoutes))]
    public async Task App_route_with_a_revoked_an_unknown_or_no_key_is_401(string method, string pattern)
    {
        var path = PathFor(Row(pattern), fixture.Tenant.AppId);

        using var revoked = await fixture.SendAsync(method, path, fixture.RevokedKey);
        using var unknown = await fixture.SendAsync(method, path, "bk_test_" + new string('0', 64));
        using var none = await fixture.SendAsync(method, path, null);

        await ProblemAssert.IsProblem(revoked, 401, "unauthorized");
        await ProblemAssert.IsProblem(unknown, 401, "unauthorized");
        await ProblemAssert.IsProblem(none, 401, "unauthorized");
    }

    [Theory]
    [MemberData(nameof(AppRoutes))]
    public async Task App_route_with_a_publishable_key_is_open_only_for_public_catalog_reads(string method, string pattern)
    {
        var route = Row(pattern);

        using var response = await fixture.SendAsync(method, PathFor(route, fixture.Tenant.AppId), fixture.PublishableKey);

        if (route.PublishableReads && IsRead(method))
        {
            Assert.Equal(200, (int)response.StatusCode);
            var identity = IdentityAssert.Verified(await EchoReply.ReadAsync(response));
            Assert.Equal(CallerKind.PublishableKey, identity.Kind);
            Assert.Equal([CallerIdentity.PublicCatalogScope], identity.Scopes);
            Assert.Equal("live", identity.Mode);
        }
        else
        {
            var problem = await ProblemAssert.IsProblem(response, 403, "missing_scope");
            Assert.Equal(route.Access(IsRead(method)).Scope, problem.GetProperty("requiredScope").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(AppRoutes))]
    public async Task App_route_refuses_account_tokens_and_the_operator_key(string method, string pattern)
    {
        var path = PathFor(Row(pattern), fixture.Tenant.AppId);

        using var account = await fixture.SendAsync(method, path, fixture.Tenant.AccountToken);
        using var operatorKey = await fixture.SendAsync(method, path, TestGateway.OperatorKey);

        await ProblemAssert.IsProblem(account, 403, "missing_scope");
        await ProblemAssert.IsProblem(operatorKey, 403, "missing_scope");
    }

    [Theory]
    [MemberData(nameof(AccountRoutes))]
    public async Task Dashboard_route_takes_an_account_token_only_and_forwards_the_account(string method, string pattern)
    {
        using var ok = await fixture.SendAsync(method, pattern, fixture.Tenant.AccountToken);
        using var key = await fixture.SendAsync(method, pattern, fixture.Tenant.SecretKey);
        using var operatorKey = await fixture.SendAsync(method, pattern, TestGateway.OperatorKey);
        using var none = await fixture.SendAsync(method, pattern, null);

        Assert.Equal(200, (int)ok.StatusCode);
        var identity = IdentityAssert.Verified(await EchoReply.ReadAsync(ok));
        Assert.Equal(CallerKind.Account, identity.Kind);
        Assert.Equal(fixture.Tenant.AccountId, identity.AccountId);
        Assert.Null(identity.AppId);
        Assert.Equal("account", (await ProblemAssert.IsProblem(key, 403, "missing_scope")).GetProperty("requiredScope").GetString());
        await ProblemAssert.IsProblem(operatorKey, 403, "missing_scope");
        await ProblemAssert.IsProblem(none, 401, "unauthorized");
    }

    [Theory]
    [MemberData(nameof(OperatorRoutes))]
    public async Task Admin_route_takes_the_operator_key_only(string method, string pattern)
    {
        var path = pattern.Replace("/{**rest}", "");

        using var ok = await fixture.SendAsync(method, path, TestGateway.OperatorKey);
        using var account = await fixture.SendAsync(method, path, fixture.Tenant.AccountToken);
        using var key = await fixture.SendAsync(method, path, fixture.Tenant.SecretKey);
        using var none = await fixture.SendAsync(method, path, null);

        Assert.Equal(200, (int)ok.StatusCode);
        Assert.Equal(CallerKind.Operator, IdentityAssert.Verified(await EchoReply.ReadAsync(ok)).Kind);
        Assert.Equal("operator", (await ProblemAssert.IsProblem(account, 403, "missing_scope")).GetProperty("requiredScope").GetString());
        await ProblemAssert.IsProblem(key, 403, "missing_scope");
        await ProblemAssert.IsProblem(none, 401, "unauthorized");
    }

    [Theory]
    [MemberData(nameof(PublicRoutes))]
    public async Task Public_route_needs_no_key_and_carries_no_identity(string method, string pattern)
    {
        using var response = await fixture.SendAsync(method, pattern.Replace("/{**rest}", ""), null);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Null((await EchoReply.ReadAsync(response)).Identity);
    }

    private static TheoryData<string, string> Cases(Audience audience)
    {
        var cases = new TheoryData<string, string>();
        foreach (var route in RouteTable.Routes.Where(r => r.Audience == audience))
        {
            cases.Add("GET", route.Pattern);
            cases.Add("POST", route.Pattern);
        }
        return cases;
    }

    private static GatewayRoute Row(string pattern) => RouteTable.Routes.Single(r => r.Pattern == pattern);

    private static bool IsRead(string method) => method == "GET";

    private static string PathFor(GatewayRoute route, string appId) => route.Path.Replace("{appId}", appId);
}
