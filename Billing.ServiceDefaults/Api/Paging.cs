using Billing.ServiceDefaults.Errors;

namespace Billing.ServiceDefaults.Api;

/// <summary>Cursor paging of API.md: <c>?limit=</c> (1–100, default 20) and <c>?startingAfter=</c>.</summary>
public sealed record PageRequest(int Limit, string? StartingAfter)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static PageRequest From(int? limit, string? startingAfter)
    {
        var value = limit ?? DefaultLimit;
        if (value is < 1 or > MaxLimit) throw ApiException.Validation("limit", $"limit must be between 1 and {MaxLimit}.");
        return new PageRequest(value, string.IsNullOrEmpty(startingAfter) ? null : startingAfter);
    }
}

/// <summary>A page of a list: <c>{ data, hasMore }</c>.</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, bool HasMore)
{
    /// <summary>From rows fetched with <c>Take(limit + 1)</c>: the extra row only says there is more.</summary>
    public static Page<T> FromRows(IReadOnlyList<T> rows, int limit) =>
        new(rows.Take(limit).ToList(), rows.Count > limit);

    public Page<TOut> Map<TOut>(Func<T, TOut> map) => new(Data.Select(map).ToList(), HasMore);
}
