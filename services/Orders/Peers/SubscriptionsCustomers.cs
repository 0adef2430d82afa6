using Billing.ServiceDefaults.Http;

namespace Billing.Orders.Peers;

/// <summary>What Orders needs of a Subscriptions customer to mirror it.</summary>
public sealed record SubscriptionsCustomer(string Id, string ExternalId, string? Email);

/// <summary>Reads a customer from the Subscriptions service as the caller: lets a <c>cus_</c> id made there be used here too.</summary>
public sealed class SubscriptionsCustomers(HttpClient http, IHttpContextAccessor context, ILogger<SubscriptionsCustomers> logger)
    : PeerServiceReader(http, context, logger)
{
    public Task<SubscriptionsCustomer?> FindAsync(string appId, string customerId, CancellationToken ct) =>
        GetAsCallerAsync<SubscriptionsCustomer>($"/v1/{Uri.EscapeDataString(appId)}/billing/customers/{Uri.EscapeDataString(customerId)}", ct);
}
