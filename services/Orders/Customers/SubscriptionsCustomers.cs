using System.Net.Http.Json;
using Billing.ServiceDefaults.Security;

namespace Billing.Orders.Customers;

/// <summary>What Orders needs of a Subscriptions customer to mirror it.</summary>
public sealed record SubscriptionsCustomer(string Id, string ExternalId, string? Email);

/// <summary>
/// Reads a customer from the Subscriptions service (<c>http://subscriptions</c>, service discovery) as
/// the current caller, with the caller's own signed identity: a key without <c>customers:read</c>, or
/// another app's id, finds nothing. Lets a <c>cus_</c> id made in Subscriptions be used here too.
/// </summary>
public sealed class SubscriptionsCustomers(HttpClient http, IHttpContextAccessor context, ILogger<SubscriptionsCustomers> logger)
{
    public async Task<SubscriptionsCustomer?> FindAsync(string appId, string customerId, CancellationToken ct)
    {
        var identity = context.HttpContext?.Request.Headers[IdentityToken.Header].ToString();
        if (string.IsNullOrEmpty(identity)) return null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get,
                $"/v1/{Uri.EscapeDataString(appId)}/billing/customers/{Uri.EscapeDataString(customerId)}");
            request.Headers.Add(IdentityToken.Header, identity);
            using var response = await http.SendAsync(request, ct);
            return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<SubscriptionsCustomer>(ct) : null;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Subscriptions unreachable: the customer stays unknown here (404), as it would be without the lookup.
            logger.LogWarning(e, "Could not look customer {CustomerId} up in Subscriptions", customerId);
            return null;
        }
    }
}
