using Billing.Stripe;

namespace Billing.Webhooks.Reconciliation;

/// <summary>
/// One account's <c>GET /v1/events</c>, read the ways the reconciler needs, each answer oldest first:
/// in the order Stripe created the events, which their <c>created</c> need not follow (test clocks).
/// </summary>
internal sealed class StripeEventList(IStripeClient stripe, RequestOptions? options)
{
    private const int PageSize = 100;

    /// <summary>The events Stripe created after <paramref name="cursor"/>.</summary>
    public async Task<List<StripeEvent>> AfterAsync(string cursor, CancellationToken ct)
    {
        // With ending_before, a page holds the events just after the cursor, newest first, and
        // has_more says that newer ones remain: the next page ends before the newest of this one.
        var events = new List<StripeEvent>();
        while (true)
        {
            var page = await stripe.Events.ListAsync(new EventListRequest { EndingBefore = cursor, Limit = PageSize }, options, ct);
            events.AddRange(Enumerable.Reverse(page.Data));
            if (!page.HasMore || page.Data.Count == 0) return events;
            cursor = page.Data[0].Id;
        }
    }

    /// <summary>Every event Stripe still lists (it keeps 30 days).</summary>
    public Task<List<StripeEvent>> AllAsync(CancellationToken ct) => OldestFirstAsync(new EventListRequest { Limit = PageSize }, ct);

    /// <summary>The events whose <c>created</c> is at or after <paramref name="since"/>, wherever they sit in the list.</summary>
    public Task<List<StripeEvent>> CreatedSinceAsync(DateTimeOffset since, CancellationToken ct) =>
        OldestFirstAsync(new EventListRequest { Created = new DateRangeFilter { Gte = since }, Limit = PageSize }, ct);

    /// <summary>The id of the event Stripe created last; null when there is none.</summary>
    public async Task<string?> NewestIdAsync(CancellationToken ct) =>
        (await stripe.Events.ListAsync(new EventListRequest { Limit = 1 }, options, ct)).Data.FirstOrDefault()?.Id;

    private async Task<List<StripeEvent>> OldestFirstAsync(EventListRequest request, CancellationToken ct)
    {
        var events = new List<StripeEvent>();
        await foreach (var stripeEvent in stripe.Events.ListAutoPagingAsync(request, options, ct)) events.Add(stripeEvent);
        events.Reverse();
        return events;
    }
}
