using Billing.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http;
using Stripe;

namespace Billing.Stripe;

/// <summary>
/// Stripe's refusals become our <c>stripe_error</c> 502 problem, carrying Stripe's
/// <c>type</c>/<c>code</c>/<c>decline_code</c>/<c>param</c> and its request id so a caller can act
/// and an operator can find the call. The key never appears: Stripe's messages do not hold it.
/// </summary>
public static class StripeErrors
{
    /// <summary>
    /// Whether a Stripe call failed on Stripe's side or on the way there: a refusal, no answer, or the
    /// resilience handler giving up (timeout, open circuit). Callers that can wait (webhook intake, the
    /// reconciler) treat these as "retry later".
    /// </summary>
    public static bool IsStripeFailure(Exception e) =>
        e is StripeException or HttpRequestException or TaskCanceledException or Polly.ExecutionRejectedException;

    public static ApiException ToProblem(StripeException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var error = e.StripeError;
        var problem = new ApiException(StatusCodes.Status502BadGateway, ErrorCodes.StripeError,
            error?.Message is { Length: > 0 } message ? $"Stripe refused the request: {message}" : "Stripe could not be reached or did not answer.");
        problem.Extensions["stripeType"] = error?.Type;
        problem.Extensions["stripeCode"] = error?.Code;
        problem.Extensions["declineCode"] = error?.DeclineCode;
        problem.Extensions["param"] = error?.Param;
        problem.Extensions["stripeStatus"] = e.HttpStatusCode == 0 ? null : (int)e.HttpStatusCode;
        problem.Extensions["stripeRequestId"] = e.StripeResponse?.RequestId;
        return problem;
    }
}
