using System.Globalization;
using System.Text.Json;
using Billing.Webhooks.Ingest;
using Stripe;

namespace Billing.Webhooks.Reconciliation;

/// <summary>
/// One account's <c>GET /v1/events</c>, read the ways the reconciler needs, each answer oldest first:
/// in the order Stripe created the events, which their <c>created</c> need not follow (test clocks).
/// Each event is kept as the JSON Stripe rendered: that text is the payload we store, so it is read
/// raw rather than re-serialized from Stripe.net's model (which would drop fields the model does not know).
/// </summary>
/// <param name="account">Null for the platform's own events, else the connected account's (<c>Stripe-Account</c>).</param>
internal sealed class StripeEventList(StripeClient stripe, string? account)
{
    private const int PageSize = 100;

    /// <summary>The events Stripe created after <paramref name="cursor"/>.</summary>
    /// <exception cref="StripeException">Code <c>resource_missing</c> when Stripe no longer has the cursor's event.</exception>
    public async Task<List<SnapshotEvent>> AfterAsync(string cursor, CancellationToken ct)
    {
        // With ending_before, a page holds the events just after the cursor, newest first, and
        // has_more says that newer ones remain: the next page ends before the newest of this one.
        // (Stripe.net's auto-paging reverses such pages itself; paging by hand keeps one order.)
        var events = new List<SnapshotEvent>();
        while (true)
        {
            var (page, hasMore) = await PageAsync("ending_before=" + Uri.EscapeDataString(cursor), ct);
            events.AddRange(Enumerable.Reverse(page));
            if (!hasMore || page.Count == 0) return events;
            cursor = page[0].Id;
        }
    }

    /// <summary>Every event Stripe still lists (it keeps 30 days).</summary>
    public Task<List<SnapshotEvent>> AllAsync(CancellationToken ct) => OldestFirstAsync("", ct);

    /// <summary>The events whose <c>created</c> is at or after <paramref name="since"/>, wherever they sit in the list.</summary>
    public Task<List<SnapshotEvent>> CreatedSinceAsync(DateTimeOffset since, CancellationToken ct) =>
        OldestFirstAsync("created%5Bgte%5D=" + since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ct);

    /// <summary>The id of the event Stripe created last; null when there is none.</summary>
    public async Task<string?> NewestIdAsync(CancellationToken ct) =>
        (await PageAsync("", ct, limit: 1)).Events.FirstOrDefault()?.Id;

    private async Task<List<SnapshotEvent>> OldestFirstAsync(string filter, CancellationToken ct)
    {
        var events = new List<SnapshotEvent>();
        var query = filter;
        while (true)
        {
            var (page, hasMore) = await PageAsync(query, ct);
            events.AddRange(page);
            if (!hasMore || page.Count == 0) break;
            query = (filter.Length > 0 ? filter + "&" : "") + "starting_after=" + Uri.EscapeDataString(page[^1].Id);
        }
        events.Reverse();
        return events;
    }

    /// <summary>One page, newest first as Stripe lists it.</summary>
    private async Task<(List<SnapshotEvent> Events, bool HasMore)> PageAsync(string query, CancellationToken ct, int limit = PageSize)
    {
        var path = $"/v1/events?limit={limit}" + (query.Length > 0 ? "&" + query : "");
        var response = await stripe.RawRequestAsync(HttpMethod.Get, path,
            requestOptions: new RawRequestOptions { StripeAccount = account }, cancellationToken: ct);
        using var page = JsonDocument.Parse(response.Content);
        var events = page.RootElement.GetProperty("data").EnumerateArray()
            .Select(item => SnapshotEvent.Parse(NulEscapes.Replace(item.GetRawText()))).ToList();
        return (events, page.RootElement.GetProperty("has_more").GetBoolean());
    }
}
