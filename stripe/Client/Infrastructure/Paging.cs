using System.Runtime.CompilerServices;

namespace Billing.Stripe;

/// <summary>One page of a Stripe list: <c>{"object":"list","data":[...],"has_more":...}</c>.</summary>
public sealed record StripeList<T>
{
    public string Object { get; init; } = "list";
    public List<T> Data { get; init; } = [];
    public bool HasMore { get; init; }
    public string? Url { get; init; }
}

/// <summary>A range filter such as <c>created[gte]</c>.</summary>
public sealed record DateRangeFilter
{
    public DateTimeOffset? Gt { get; init; }
    public DateTimeOffset? Gte { get; init; }
    public DateTimeOffset? Lt { get; init; }
    public DateTimeOffset? Lte { get; init; }
}

/// <summary>Paging parameters shared by every list call.</summary>
public abstract record ListRequest
{
    /// <summary>1 to 100; Stripe's default is 10.</summary>
    public int? Limit { get; init; }

    /// <summary>Returns the page after this object id (older objects).</summary>
    public string? StartingAfter { get; init; }

    /// <summary>Returns the page before this object id (newer objects).</summary>
    public string? EndingBefore { get; init; }

    internal ListRequest Next(string startingAfter) => this with { StartingAfter = startingAfter, EndingBefore = null };

    internal ListRequest Previous(string endingBefore) => this with { StartingAfter = null, EndingBefore = endingBefore };
}

/// <summary>A list call with no filters beyond paging.</summary>
public sealed record PageRequest : ListRequest;

internal static class Paging
{
    /// <summary>
    /// Walks every page from the request's cursor: forward over <c>starting_after</c>, or
    /// backward over <c>ending_before</c> when the request starts with one.
    /// </summary>
    public static async IAsyncEnumerable<T> AutoPageAsync<T, TRequest>(
        TRequest? request,
        Func<TRequest, CancellationToken, Task<StripeList<T>>> fetchPage,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : IHasId
        where TRequest : ListRequest, new()
    {
        var current = request ?? new TRequest();
        var backward = current.EndingBefore is not null;
        while (true)
        {
            var page = await fetchPage(current, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Data)
                yield return item;
            if (!page.HasMore || page.Data.Count == 0)
                yield break;
            current = (TRequest)(backward ? current.Previous(page.Data[0].Id) : current.Next(page.Data[^1].Id));
        }
    }
}

/// <summary>Base of the resource services: the shared plumbing to call the client.</summary>
public abstract class StripeService
{
    private protected StripeService(IStripeClient client) => Client = client;

    /// <summary>The client the calls go through.</summary>
    protected IStripeClient Client { get; }

    private protected Task<T> PostAsync<T>(string path, object? parameters, RequestOptions? options, CancellationToken ct) =>
        Client.RequestAsync<T>(HttpMethod.Post, path, parameters, options, ct);

    private protected Task<T> GetAsync<T>(string path, object? parameters, RequestOptions? options, CancellationToken ct) =>
        Client.RequestAsync<T>(HttpMethod.Get, path, parameters, options, ct);

    private protected Task<T> DeleteAsync<T>(string path, object? parameters, RequestOptions? options, CancellationToken ct) =>
        Client.RequestAsync<T>(HttpMethod.Delete, path, parameters, options, ct);

    private protected IAsyncEnumerable<T> AutoPageAsync<T, TRequest>(string path, TRequest? request, RequestOptions? options, CancellationToken ct)
        where T : IHasId where TRequest : ListRequest, new() =>
        Paging.AutoPageAsync<T, TRequest>(request, (page, token) => GetAsync<StripeList<T>>(path, page, options, token), ct);

    /// <summary>An id as one path segment; an empty id would silently hit the list endpoint instead.</summary>
    private protected static string Segment(string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        return Uri.EscapeDataString(id);
    }
}
