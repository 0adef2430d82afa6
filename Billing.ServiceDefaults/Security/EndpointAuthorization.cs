using Billing.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Billing.ServiceDefaults.Security;

/// <summary>
/// Per-endpoint checks on the verified caller, applied again in the service although the gateway
/// checks the same, so a service never relies on the network alone.
/// </summary>
public static class EndpointAuthorization
{
    /// <summary>The verified caller of this request (401 when there is none).</summary>
    public static CallerIdentity Caller(this HttpContext context) =>
        context.Features.Get<CallerIdentity>()
        ?? throw new ApiException(401, ErrorCodes.Unauthorized, "No verified caller for this request.");

    /// <summary>Public: no identity needed.</summary>
    public static TBuilder IsPublic<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new PublicEndpoint());

    /// <summary>
    /// An app route (<c>{appId}</c> in the path): the caller must be a key of that app (else 404,
    /// exactly as for a missing resource, so another app's ids reveal nothing) holding one of the scopes (else 403).
    /// </summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, params string[] anyOf) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var caller = context.HttpContext.Caller();
            var appId = context.HttpContext.GetRouteValue("appId") as string;
            if (appId is null || caller.AppId != appId) throw ApiException.NotFound("The resource");
            if (!anyOf.Any(caller.HasScope))
            {
                var error = new ApiException(403, ErrorCodes.MissingScope, $"This key lacks the scope {anyOf[0]}.");
                error.Extensions["requiredScope"] = anyOf[0];
                throw error;
            }
            return await next(context);
        });

    /// <summary>Operator-only routes (operations, admin).</summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireKind(CallerKind.Operator, "operator");

    /// <summary>Routes of a developer account (the platform dashboard).</summary>
    public static TBuilder RequireAccount<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireKind(CallerKind.Account, "account");

    private static TBuilder RequireKind<TBuilder>(this TBuilder builder, CallerKind kind, string name) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            if (context.HttpContext.Caller().Kind != kind)
            {
                var error = new ApiException(403, ErrorCodes.MissingScope, $"This route needs an {name} credential.");
                error.Extensions["requiredScope"] = name;
                throw error;
            }
            return await next(context);
        });
}
