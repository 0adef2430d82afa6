using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Stripe;

namespace Billing.Webhooks.Reconciliation;

/// <summary>
/// <c>GET /v1/events</c> page by page, each event as the JSON Stripe rendered: that text is the payload
/// we store, so it is read raw rather than re-serialized from Stripe.net's model (which would drop
/// the fields the model does not know).
/// </summary>
internal static class StripeEventList
{
    /// <param name="account">Null for the platform's own events, else the connected account's (<c>Stripe-Account</c>).</param>
    public static async IAsyncEnumerable<string> CreatedSinceAsync(
        StripeClient stripe, DateTimeOffset since, string? account, [EnumeratorCancellation] CancellationToken ct)
    {
        var options = new RawRequestOptions { StripeAccount = account };
        string? after = null;
        while (true)
        {
            var path = "/v1/events?limit=100&created%5Bgte%5D=" + since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
                + (after is null ? "" : "&starting_after=" + Uri.EscapeDataString(after));
            var response = await stripe.RawRequestAsync(HttpMethod.Get, path, requestOptions: options, cancellationToken: ct);
            using var page = JsonDocument.Parse(response.Content);
            foreach (var item in page.RootElement.GetProperty("data").EnumerateArray())
            {
                after = item.GetProperty("id").GetString();
                yield return item.GetRawText();
            }
            if (after is null || !page.RootElement.GetProperty("has_more").GetBoolean()) yield break;
        }
    }
}
