using Billing.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Builder;

namespace Billing.ServiceDefaults.Http;

/// <summary>
/// Refuses a NUL character (<c>%00</c>) in the query string, as <see cref="NulFreeStringConverter"/> does in JSON
/// bodies: Postgres cannot compare text with it, so an id or filter carrying one ended in a 500 from whichever
/// query it reached (found by probing every route). Kestrel already refuses one in the path.
/// </summary>
public static class NulFreeQuery
{
    public static IApplicationBuilder UseNulFreeQuery(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var query = context.Request.Query;
            if (query.Count > 0 && query.Any(p => p.Key.Contains('\0') || p.Value.Any(v => v?.Contains('\0') == true)))
                throw ApiException.Validation("query", "The query string contains a NUL character (%00), which is not accepted.");
            return next(context);
        });
}
