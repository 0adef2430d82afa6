using System.Net.Http.Json;
using System.Text;
using Billing.Tests.Gateway;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Tenancy;

/// <summary>Malformed requests to the gateway get the problem that names what to change, never a 401 or a 500.</summary>
[Collection(InfrastructureCollection.Name)]
public sealed class RequestEdgesTests(TenancyGateway fixture) : IClassFixture<TenancyGateway>
{
    private TestGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task A_NUL_character_in_an_account_app_or_key_name_is_a_validation_problem()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var operatorClient = Gateway.ClientWith(TestGateway.OperatorKey);
        using var accountClient = tenant.AccountClient(Gateway);

        await ProblemAssert.IsProblem(await operatorClient.PostAsync("/v1/accounts",
            Json("""{"email":"nul@example.com","name":"Ada\u0000"}""")), 400, "validation_failed");
        await ProblemAssert.IsProblem(await accountClient.PostAsync("/v1/apps", Json("""{"name":"Shop\u0000"}""")), 400, "validation_failed");
        await ProblemAssert.IsProblem(await accountClient.PostAsync($"/v1/apps/{tenant.AppId}/keys",
            Json("""{"type":"secret","mode":"test","name":"k\u0000"}""")), 400, "validation_failed");
        await ProblemAssert.IsProblem(await accountClient.PutAsync($"/v1/apps/{tenant.AppId}/redirect-origins",
            Json("""{"origins":["https://a.example.com\u0000"]}""")), 400, "validation_failed");
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_on_a_gateway_route_is_415_not_401()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var accountClient = tenant.AccountClient(Gateway);

        using var response = await accountClient.PostAsync("/v1/apps", new StringContent("name=Shop", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await ProblemAssert.IsProblem(response, 415, "unsupported_media_type");
    }

    [Fact]
    public async Task A_method_a_gateway_route_does_not_take_is_405_with_its_own_code()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var accountClient = tenant.AccountClient(Gateway);

        using var response = await accountClient.PatchAsync("/v1/apps", Json("{}"));

        await ProblemAssert.IsProblem(response, 405, "method_not_allowed");
    }

    [Fact]
    public async Task A_body_over_one_MiB_is_413_whether_its_length_is_declared_or_chunked()
    {
        var tenant = await TestTenant.CreateAsync(Gateway);
        using var accountClient = tenant.AccountClient(Gateway);
        using var keyClient = tenant.KeyClient(Gateway);
        // A server that refuses a body closes the connection: a client still writing then fails with a broken
        // pipe instead of reading the 413 (a race, not the gateway's answer). So the declared body waits for
        // 100-continue (the gateway refuses on the declared length, before any byte is sent), and the chunked
        // one is just over the limit (all of it is on the wire when the gateway counts past the limit).
        var big = $$"""{"name":"{{new string('x', 1_100_000)}}"}""";
        using var declaredRequest = new HttpRequestMessage(HttpMethod.Post, "/v1/apps") { Content = Json(big) };
        declaredRequest.Headers.ExpectContinue = true;
        var declared = await ProblemAssert.IsProblem(await accountClient.SendAsync(declaredRequest), 413, "payload_too_large");
        Assert.Contains("1048576", declared.GetProperty("detail").GetString());
        // Chunked, to a route the gateway proxies: the limit holds while the body streams through.
        var justOver = $$"""{"name":"{{new string('x', 1_048_576)}}"}""";
        using var chunked = new HttpRequestMessage(HttpMethod.Post, $"/v1/{tenant.AppId}/billing/plans") { Content = Json(justOver) };
        chunked.Headers.TransferEncodingChunked = true;
        await ProblemAssert.IsProblem(await keyClient.SendAsync(chunked), 413, "payload_too_large");
        // Just under the limit is the route's business, not the limit's.
        var justUnder = $$"""{"name":"{{new string('x', 1_000_000)}}"}""";
        using var accepted = await accountClient.PostAsync("/v1/apps", Json(justUnder));
        Assert.NotEqual(413, (int)accepted.StatusCode);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
