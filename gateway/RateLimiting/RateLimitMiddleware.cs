using System.Globalization;
using Billing.Gateway.Auth;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Billing.Gateway.RateLimiting;

/// <summary>
/// Counts each authenticated caller's requests (app keys and account tokens); over its limit, 429
/// <c>rate_limited</c> with <c>Retry-After</c>. The operator is not limited: one trusted caller
/// whose operations must not be locked out by its own traffic.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, RateLimiter limiter, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<Credential>() is not { } caller || caller.Kind == CallerKind.Operator)
        {
            await next(context);
            return;
        }
        var decision = await limiter.CheckAsync(caller.KeyId, caller.RateLimit);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }
        // Written here rather than thrown: the exception handler would drop the Retry-After header.
        var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Detail = $"Too many requests for this key; retry after {seconds} s.",
                Extensions = { ["code"] = ErrorCodes.RateLimited },
            },
        });
    }
}
