using Billing.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Stripe;

namespace Billing.Stripe;

/// <summary>
/// A <see cref="StripeException"/> that reaches the framework answers as <see cref="StripeErrors.ToProblem"/>
/// says, written by the one ProblemDetails handler (so the body has our usual shape).
/// </summary>
internal sealed class StripeExceptionHandler(ProblemDetailsExceptionHandler problems) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct) =>
        exception is StripeException stripe
            ? problems.TryHandleAsync(context, StripeErrors.ToProblem(stripe), ct)
            : ValueTask.FromResult(false);
}
