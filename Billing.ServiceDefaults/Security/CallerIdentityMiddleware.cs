using Billing.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http;

namespace Billing.ServiceDefaults.Security;

/// <summary>
/// Every endpoint not marked public needs a valid identity forwarded by the gateway; a request
/// that reached the service any other way is answered 401.
/// </summary>
public sealed class CallerIdentityMiddleware(RequestDelegate next, IdentityVerifier verifier)
{
    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<PublicEndpoint>() is not null) return next(context);

        var identity = verifier.Verify(context.Request.Headers[IdentityToken.Header].ToString())
            ?? throw new ApiException(401, ErrorCodes.Unauthorized, "This service is reached through the gateway, with a valid API key.");
        context.Features.Set(identity);
        return next(context);
    }
}

/// <summary>Marks an endpoint that needs no caller identity (health, OpenAPI, Stripe's webhooks).</summary>
public sealed class PublicEndpoint;
