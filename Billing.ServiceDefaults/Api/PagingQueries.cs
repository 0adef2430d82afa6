using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Billing.ServiceDefaults.Api;

public static class PagingQueries
{
    private static readonly System.Reflection.MethodInfo StringCompare =
        typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    /// <summary>
    /// One page in id order (ids sort by creation time): rows after the cursor, one extra row
    /// fetched only to learn whether there are more.
    /// </summary>
    public static async Task<Page<T>> ToPageAsync<T>(
        this IQueryable<T> query, PageRequest page, Expression<Func<T, string>> id, CancellationToken ct)
    {
        if (page.StartingAfter is { } after)
        {
            // id > after, as string.Compare(id, after) > 0, which EF translates to SQL text comparison.
            var afterId = Expression.Lambda<Func<T, bool>>(
                Expression.GreaterThan(
                    Expression.Call(StringCompare, id.Body, Expression.Constant(after)),
                    Expression.Constant(0)),
                id.Parameters);
            query = query.Where(afterId);
        }
        var rows = await query.OrderBy(id).Take(page.Limit + 1).ToListAsync(ct);
        return Page<T>.FromRows(rows, page.Limit);
    }
}
