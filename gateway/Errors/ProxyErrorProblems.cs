using Billing.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Mvc;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Billing.Gateway.Errors;

/// <summary>
/// Turns what YARP leaves as a bare status (502 for a refused connection, 503 with no healthy
/// destination, a cancelled call on timeout) into the API's ProblemDetails: 503
/// <c>unavailable</c>, 504 on a route timeout, or 413 for a chunked body over the limit. Runs first in the proxy pipeline so it sees the
/// outcome of everything after it.
/// </summary>
public sealed class ProxyErrorProblems(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var error = context.GetForwarderErrorFeature()?.Error ?? ForwarderError.None;
        if (error == ForwarderError.None || context.Response.HasStarted) return;
        var service = context.GetReverseProxyFeature().Cluster.Config.ClusterId;

        if (TimedOut(context))
        {
            // 504 has no code of its own in API.md; `unavailable` tells the caller the same: retry later.
            await Write(context, StatusCodes.Status504GatewayTimeout, ErrorCodes.Unavailable,
                $"The {service} service did not answer in time; retry later.");
        }
        else if (BodyOverLimit(context))
        {
            // A chunked body has no declared length: Kestrel stops it at the limit while YARP streams it on.
            await Write(context, StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge,
                "The request body is larger than the limit (Http:MaxRequestBodyBytes).");
        }
        else if (!CausedByCaller(error))
        {
            await Write(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable,
                $"The {service} service is unavailable; retry later.");
        }
    }

    private static bool TimedOut(HttpContext context) =>
        context.Features.Get<IHttpRequestTimeoutFeature>()?.RequestTimeoutToken.IsCancellationRequested == true;

    private static bool BodyOverLimit(HttpContext context)
    {
        for (var e = context.GetForwarderErrorFeature()?.Exception; e is not null; e = e.InnerException)
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }) return true;
        return false;
    }

    // The caller went away or sent a broken body: nobody is left to read a problem, or it is not ours to report as an outage.
    private static bool CausedByCaller(ForwarderError error) =>
        error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient
            or ForwarderError.ResponseBodyCanceled or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestCanceled
            or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseCanceled or ForwarderError.UpgradeResponseClient;

    private ValueTask Write(HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetails { Status = status, Detail = detail, Extensions = { ["code"] = code } };
        return problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
