using System.Net.Http.Json;
using System.Text.Json;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Billing.Subscriptions.Apis;

namespace Billing.Subscriptions.Checkout;

/// <summary>
/// BillStack's <c>checkout</c> with <c>mode=payment</c> is a one-time purchase: it is handed to the
/// Orders service's <c>purchase</c> (<c>http://orders</c>, service discovery) with the caller's own signed
/// identity, so Orders applies the same tenant and scope checks; its answer, or its error, is answered as is.
/// </summary>
public sealed class OrdersHandover(HttpClient http, ILogger<OrdersHandover> logger)
{
    public async Task<JsonElement> PurchaseAsync(string appId, CheckoutRequest request, HttpContext caller, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/v1/{Uri.EscapeDataString(appId)}/billing/purchase")
        {
            Content = JsonContent.Create(new
            {
                priceId = request.PriceId, customerId = request.CustomerId, quantity = request.Quantity, successUrl = request.SuccessUrl,
                cancelUrl = request.CancelUrl, metadata = request.Metadata,
            }),
        };
        message.Headers.Add(IdentityToken.Header, caller.Request.Headers[IdentityToken.Header].ToString());
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Orders could not be reached for a payment-mode checkout");
            throw ApiException.Unavailable("One-time purchases are unavailable right now; retry later.");
        }
        using (response)
        {
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
            if (response.IsSuccessStatusCode) return body;
            var status = (int)response.StatusCode;
            throw new ApiException(status, body.TryGetProperty("code", out var code) ? code.GetString()! : ErrorCodes.ForStatus(status),
                body.TryGetProperty("detail", out var detail) ? detail.GetString() ?? "" : "The purchase was refused.");
        }
    }
}
