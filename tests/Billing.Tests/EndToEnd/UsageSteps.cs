using System.Text.Json;
using Billing.ServiceDefaults.Api;
using Billing.Tests.Tenancy;

namespace Billing.Tests.EndToEnd;

/// <summary>What an app's server does with usage in the end-to-end tests: through the gateway with the app's key.</summary>
public sealed class UsageSteps(SystemFixture system, TestTenant tenant)
{
    public HttpClient Client { get; } = tenant.KeyClient(system.Gateway);
    public string App => tenant.AppId;
    public string Path(string rest) => $"/v1/{tenant.AppId}/{rest}";

    public static object Event(string id, string externalId, string meter, long quantity, DateTimeOffset at) =>
        new { id, customerExternalId = externalId, meter, quantity, timestamp = at.ToString("O") };

    public Task<JsonElement> SendAsync(IEnumerable<object> events, int expected = 202) =>
        Client.PostAsync(Path("usage/events"), new { events = events.ToArray() }, expected);

    /// <summary>The daily history as the API answers it: (date, meter) → quantity.</summary>
    public async Task<Dictionary<(string Date, string Meter), long>> HistoryAsync(string customerQuery, string startDate, string endDate)
    {
        var body = await Client.GetAsync(Path($"usage?{customerQuery}&startDate={startDate}&endDate={endDate}"), 200);
        return body.GetProperty("data").EnumerateArray()
            .ToDictionary(d => (d.GetProperty("date").GetString()!, d.GetProperty("meter").GetString()!), d => d.GetProperty("quantity").GetInt64());
    }

    /// <summary>A plan of the app with these usage limits, made through the Catalog (Usage keeps the limits from its PlanChanged).</summary>
    public Task<TestPlan> PlanAsync(IReadOnlyDictionary<string, long> limits) =>
        system.Plans.CreateAsync(new BillingSteps(system, tenant), limits: limits);

    /// <summary>A customer of the app subscribed (paid in the sandbox) to <paramref name="plan"/>: its active subscription.</summary>
    public async Task<JsonElement> SubscribedCustomerAsync(TestPlan plan)
    {
        var billing = new BillingSteps(system, tenant);
        var customer = await billing.CustomerAsync();
        await billing.PayAsync(await billing.SubscribeAsync(customer, plan.Id));
        return await billing.SubscriptionEventuallyAsync(customer, BillingSteps.Status("active"));
    }

    /// <summary>The entitlement check's status and body.</summary>
    public async Task<(int Status, JsonElement Body)> CheckAsync(string customerId, string meter, long quantity)
    {
        using var response = await Client.GetAsync(Path($"entitlements/check?customerId={customerId}&meter={meter}&quantity={quantity}"));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static string NewId(string prefix) => Ids.New(prefix);
}
