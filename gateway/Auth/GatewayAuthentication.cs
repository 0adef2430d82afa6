using Billing.Gateway.Routing;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Model;

namespace Billing.Gateway.Auth;

/// <summary>
/// Runs after routing, before the proxy and the gateway's own endpoints: authenticates the bearer
/// secret, checks it against the endpoint's <see cref="RouteAccess"/>, answers 402 to a developer
/// who owes their platform subscription (outside the billing routes that let them pay) and sets the
/// <see cref="Credential"/> feature (the proxy forwards it signed; rate limiting counts by it).
/// The gateway's own endpoints also get the <see cref="CallerIdentity"/> feature, which the shared
/// endpoint filters and Idempotency-Key handling read; proxied calls do not, so their owning
/// service is the only one that applies Idempotency-Key to them.
/// </summary>
public sealed class GatewayAuthentication(RequestDelegate next, CredentialStore credentials, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        // No endpoint: the 404 of an unknown path. Not a route endpoint: routing's own 405 (known path,
        // other method) or 415 (wrong Content-Type), which answer with their status and run nothing
        // of ours. Neither says anything about anyone's data.
        if (endpoint is null or not RouteEndpoint || endpoint.Metadata.GetMetadata<PublicEndpoint>() is not null)
        {
            await next(context);
            return;
        }
        var access = endpoint.Metadata.GetMetadata<RouteAccess>()
            ?? throw new ApiException(401, ErrorCodes.Unauthorized, "This endpoint is not open to any caller.");
        if (access.Audience == Audience.Public)
        {
            await next(context);
            return;
        }

        var credential = await AuthenticateAsync(context.Request, context.RequestAborted);
        Authorize(credential, access, context.Request.RouteValues["appId"] as string);
        // After authorization: a caller with the wrong key for the route learns that first, whatever it owes.
        if (credential.PaymentRequired && !access.OpenWhilePaymentRequired)
            throw new ApiException(402, ErrorCodes.PaymentRequired,
                "The developer account's platform subscription is past due. Pay the open invoice (GET /dashboard/billing, POST /dashboard/billing/portal); calls resume within seconds of the payment.");
        context.Features.Set(credential);
        if (endpoint.Metadata.GetMetadata<RouteModel>() is null)
            context.Features.Set(credential.ToIdentity(time.GetUtcNow() + IdentityMinter.Lifetime));
        await next(context);
    }

    private async Task<Credential> AuthenticateAsync(HttpRequest request, CancellationToken ct)
    {
        var header = request.Headers[HeaderNames.Authorization].ToString();
        const string scheme = "Bearer ";
        var secret = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim() : "";
        return (secret.Length > 0 ? await credentials.FindAsync(secret, ct) : null)
            ?? throw new ApiException(401, ErrorCodes.Unauthorized,
                "A valid API key is required: Authorization: Bearer <key>. The key may be unknown, revoked or expired.");
    }

    private static void Authorize(Credential credential, RouteAccess access, string? appId)
    {
        switch (access.Audience)
        {
            case Audience.Operator when credential.Kind != CallerKind.Operator:
                throw MissingScope("operator", "This route needs the operator key.");
            case Audience.Account when credential.Kind != CallerKind.Account:
                throw MissingScope("account", "This route needs a developer account token (bat_…).");
            case Audience.AccountOrOperator when credential.Kind is not (CallerKind.Account or CallerKind.Operator):
                throw MissingScope("account", "This route needs a developer account token (bat_…) or the operator key.");
            case Audience.AppKey:
                AuthorizeAppKey(credential, access, appId);
                break;
        }
    }

    private static void AuthorizeAppKey(Credential credential, RouteAccess access, string? appId)
    {
        var scope = access.Scope!;
        if (!credential.IsAppKey) throw MissingScope(scope, $"This route needs an app key with the scope {scope}.");
        // Another app's routes look exactly like missing ones: a key learns nothing about apps not its own.
        if (appId is null || credential.AppId != appId) throw ApiException.NotFound("The resource");
        if (credential.Kind == CallerKind.PublishableKey)
        {
            if (!access.PublishableAllowed)
                throw MissingScope(scope, $"A publishable key reads the public catalog only; this route needs a secret key with the scope {scope}.");
            return;
        }
        if (!credential.HasScope(scope)) throw MissingScope(scope, $"This key lacks the scope {scope}.");
    }

    private static ApiException MissingScope(string scope, string detail)
    {
        var error = new ApiException(403, ErrorCodes.MissingScope, detail);
        error.Extensions["requiredScope"] = scope;
        return error;
    }
}
