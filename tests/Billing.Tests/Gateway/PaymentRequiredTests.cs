using System.Diagnostics;
using System.Net.Http.Json;
using Billing.Tests.Infrastructure;
using Billing.Tests.Tenancy;
using Npgsql;

namespace Billing.Tests.Gateway;

/// <summary>
/// API.md: while a developer's platform subscription is past due (or unpaid), every call made with
/// their account token or their apps' keys answers 402 payment_required, except the dashboard billing
/// routes that let them see and pay; within 5 s of paying, calls pass again. The gateway learns it from
/// SubscriptionChanged events on the real bus; these tests publish them as the Subscriptions service would.
/// </summary>
[Collection(InfrastructureCollection.Name)]
public sealed class PaymentRequiredTests(TenancyGateway fixture, InfrastructureFixture infrastructure) : IClassFixture<TenancyGateway>, IDisposable
{
    /// <summary>The promise: a status change reaches every credential within this (4 s cache + delivery).</summary>
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(5);

    private readonly PlatformSubscriptionEvents _events = new(fixture.Gateway);

    private TestGateway Gateway => fixture.Gateway;

    [Fact]
    public async Task A_past_due_account_gets_402_on_its_token_and_every_key_of_its_apps_while_another_account_is_unaffected()
    {
        var owing = await TestTenant.CreateAsync(Gateway);
        var publishable = (await owing.CreateKeyAsync(Gateway, "publishable", "live")).GetProperty("secret").GetString()!;
        var other = await TestTenant.CreateAsync(Gateway);
        using var token = owing.AccountClient(Gateway);
        using var secretKey = owing.KeyClient(Gateway);
        using var publishableKey = Gateway.ClientWith(publishable);
        using var otherToken = other.AccountClient(Gateway);
        using var otherKey = other.KeyClient(Gateway);
        // Cached as paid up first, so the change has to get through the credential cache.
        Assert.Equal(200, await StatusAsync(token, HttpMethod.Get, "/v1/apps"));
        Assert.Equal(200, await StatusAsync(secretKey, HttpMethod.Get, Plans(owing)));

        await _events.PublishAsync(owing.AccountId, NewSubscriptionId(), "past_due", version: 1);

        await AssertPaymentRequiredAsync(token, HttpMethod.Get, "/v1/apps");
        await AssertPaymentRequiredAsync(token, HttpMethod.Post, $"/v1/apps/{owing.AppId}/keys");
        await AssertPaymentRequiredAsync(token, HttpMethod.Get, "/dashboard/usage");
        await AssertPaymentRequiredAsync(secretKey, HttpMethod.Get, Plans(owing));
        await AssertPaymentRequiredAsync(secretKey, HttpMethod.Post, $"/v1/{owing.AppId}/billing/customers");
        await AssertPaymentRequiredAsync(publishableKey, HttpMethod.Get, Plans(owing));
        Assert.Equal(200, await StatusAsync(otherToken, HttpMethod.Get, "/v1/apps"));
        Assert.Equal(200, await StatusAsync(otherKey, HttpMethod.Get, Plans(other)));
        Assert.Equal(200, await StatusAsync(otherToken, HttpMethod.Get, "/dashboard/usage"));
    }

    [Fact]
    public async Task A_past_due_account_can_still_see_and_pay_through_the_dashboard_billing_routes()
    {
        var owing = await TestTenant.CreateAsync(Gateway);
        using var token = owing.AccountClient(Gateway);
        await _events.PublishAsync(owing.AccountId, NewSubscriptionId(), "unpaid", version: 4);
        await AssertPaymentRequiredAsync(token, HttpMethod.Get, "/v1/apps");

        using var billing = await token.GetAsync("/dashboard/billing");
        Assert.Equal("usage", (await Echo(billing)).Service);
        using var checkout = await token.PostAsJsonAsync("/dashboard/billing/checkout", new { tier = "pro", billingInterval = "monthly" });
        Assert.Equal("subscriptions", (await Echo(checkout)).Service);
        using var portal = await token.PostAsJsonAsync("/dashboard/billing/portal", new { returnUrl = "https://example.com" });
        Assert.Equal("subscriptions", (await Echo(portal)).Service);
        // Only reading is open on /dashboard/billing itself.
        using var write = await token.PostAsJsonAsync("/dashboard/billing", new { });
        await ProblemAssert.IsProblem(write, 402, "payment_required");
    }

    [Fact]
    public async Task Paying_lets_the_token_and_the_keys_through_again_within_5_seconds()
    {
        var owing = await TestTenant.CreateAsync(Gateway);
        using var token = owing.AccountClient(Gateway);
        using var secretKey = owing.KeyClient(Gateway);
        var subscription = NewSubscriptionId();
        await _events.PublishAsync(owing.AccountId, subscription, "past_due", version: 2);
        await AssertPaymentRequiredAsync(token, HttpMethod.Get, "/v1/apps");
        await AssertPaymentRequiredAsync(secretKey, HttpMethod.Get, Plans(owing));

        var paid = Stopwatch.StartNew();
        await _events.PublishAsync(owing.AccountId, subscription, "active", version: 3);

        Assert.Equal(200, await EventuallyStatusAsync(token, HttpMethod.Get, "/v1/apps", 200, Promise - paid.Elapsed));
        Assert.Equal(200, await EventuallyStatusAsync(secretKey, HttpMethod.Get, Plans(owing), 200, Promise - paid.Elapsed));
    }

    [Fact]
    public async Task The_account_is_blocked_while_any_of_its_platform_subscriptions_is_past_due()
    {
        var owing = await TestTenant.CreateAsync(Gateway);
        using var token = owing.AccountClient(Gateway);
        // Made now: the token cannot make keys once the account owes.
        using var unusedKey = await UnusedKeyAsync(owing);
        var (first, second) = (NewSubscriptionId(), NewSubscriptionId());
        await _events.PublishConsumedAsync(owing.AccountId, first, "active", version: 1);
        await _events.PublishAsync(owing.AccountId, second, "past_due", version: 1);
        await AssertPaymentRequiredAsync(token, HttpMethod.Get, "/v1/apps");

        // The paid-up one changing again does not clear what the other owes...
        await _events.PublishConsumedAsync(owing.AccountId, first, "active", version: 2);
        Assert.Equal(402, await StatusAsync(unusedKey, HttpMethod.Get, Plans(owing)));

        // ...the owing one ending does.
        await _events.PublishAsync(owing.AccountId, second, "canceled", version: 2);
        Assert.Equal(200, await EventuallyStatusAsync(token, HttpMethod.Get, "/v1/apps", 200, Promise));
    }

    [Fact]
    public async Task An_older_version_arriving_after_a_newer_one_neither_blocks_nor_unblocks()
    {
        var paidUp = await TestTenant.CreateAsync(Gateway);
        var paidUpSubscription = NewSubscriptionId();
        var owing = await TestTenant.CreateAsync(Gateway);
        var owingSubscription = NewSubscriptionId();
        // Keys never used yet: their first call reads the projection, whatever any cache holds.
        using var paidUpKey = await UnusedKeyAsync(paidUp);
        using var owingKey = await UnusedKeyAsync(owing);

        await _events.PublishConsumedAsync(paidUp.AccountId, paidUpSubscription, "active", version: 7);
        await _events.PublishConsumedAsync(paidUp.AccountId, paidUpSubscription, "past_due", version: 6);
        await _events.PublishConsumedAsync(owing.AccountId, owingSubscription, "past_due", version: 7);
        await _events.PublishConsumedAsync(owing.AccountId, owingSubscription, "active", version: 6);

        Assert.Equal(200, await StatusAsync(paidUpKey, HttpMethod.Get, Plans(paidUp)));
        Assert.Equal(402, await StatusAsync(owingKey, HttpMethod.Get, Plans(owing)));
        Assert.Equal(("active", 7L), await ProjectionAsync(paidUpSubscription));
        Assert.Equal(("past_due", 7L), await ProjectionAsync(owingSubscription));
    }

    [Fact]
    public async Task A_duplicate_message_is_acknowledged_with_no_effect()
    {
        var owing = await TestTenant.CreateAsync(Gateway);
        using var unusedKey = await UnusedKeyAsync(owing);
        var subscription = NewSubscriptionId();
        var messageId = await _events.PublishConsumedAsync(owing.AccountId, subscription, "past_due", version: 1);
        var firstWrite = await UpdatedAtAsync(subscription);

        await _events.PublishConsumedAsync(owing.AccountId, subscription, "past_due", version: 1, messageId: messageId);

        Assert.Equal(2, _events.Consumed(messageId));
        Assert.Equal(firstWrite, await UpdatedAtAsync(subscription));
        Assert.Equal(1L, await ScalarAsync<long>("select count(*) from gateway.inbox_messages where message_id = @id", ("id", messageId)));
        Assert.Equal(402, await StatusAsync(unusedKey, HttpMethod.Get, Plans(owing)));
    }

    [Fact]
    public async Task Subscriptions_of_other_apps_are_ignored_even_for_a_customer_named_like_a_developer_account()
    {
        var developer = await TestTenant.CreateAsync(Gateway);
        var subscription = NewSubscriptionId();

        // The developer is also a customer of some app (here their own), with the same external id.
        await _events.PublishConsumedAsync(developer.AccountId, subscription, "past_due", version: 1, appId: developer.AppId);

        using var key = await UnusedKeyAsync(developer);
        Assert.Equal(200, await StatusAsync(key, HttpMethod.Get, Plans(developer)));
        using var token = developer.AccountClient(Gateway);
        Assert.Equal(200, await StatusAsync(token, HttpMethod.Get, "/v1/apps"));
        Assert.Equal(0L, await ScalarAsync<long>("select count(*) from gateway.platform_subscriptions where subscription_id = @id", ("id", subscription)));
    }

    private static string Plans(TestTenant tenant) => $"/v1/{tenant.AppId}/billing/plans";

    private static string NewSubscriptionId() => "sub_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A new full secret key of the tenant's app, never used yet, so no cache holds it. Needs the account paid up.</summary>
    private async Task<HttpClient> UnusedKeyAsync(TestTenant tenant) =>
        Gateway.ClientWith((await tenant.CreateKeyAsync(Gateway)).GetProperty("secret").GetString()!);

    /// <summary>Polls until the call answers 402, within the promise, then checks it is the API's problem.</summary>
    private static async Task AssertPaymentRequiredAsync(HttpClient client, HttpMethod method, string path)
    {
        Assert.Equal(402, await EventuallyStatusAsync(client, method, path, 402, Promise));
        using var response = await SendAsync(client, method, path);
        var problem = await ProblemAssert.IsProblem(response, 402, "payment_required");
        Assert.Contains("past due", problem.GetProperty("detail").GetString());
    }

    private static async Task<int> EventuallyStatusAsync(HttpClient client, HttpMethod method, string path, int expected, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = await StatusAsync(client, method, path);
            if (status == expected || deadline.Elapsed > within) return status;
            await Task.Delay(50);
        }
    }

    private static async Task<int> StatusAsync(HttpClient client, HttpMethod method, string path)
    {
        using var response = await SendAsync(client, method, path);
        return (int)response.StatusCode;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : JsonContent.Create(new { }) });

    private static async Task<EchoReply> Echo(HttpResponseMessage response)
    {
        Assert.Equal(200, (int)response.StatusCode);
        return await EchoReply.ReadAsync(response);
    }

    private async Task<(string Status, long Version)> ProjectionAsync(string subscriptionId)
    {
        await using var connection = new NpgsqlConnection(infrastructure.Database("gateway"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select status, version from gateway.platform_subscriptions where subscription_id = @id", connection);
        command.Parameters.AddWithValue("id", subscriptionId);
        await using var row = await command.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync(), $"no projection row for {subscriptionId}");
        return (row.GetString(0), row.GetInt64(1));
    }

    private Task<DateTime> UpdatedAtAsync(string subscriptionId) =>
        ScalarAsync<DateTime>("select updated_at from gateway.platform_subscriptions where subscription_id = @id", ("id", subscriptionId));

    private async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(infrastructure.Database("gateway"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose() => _events.Dispose();
}
