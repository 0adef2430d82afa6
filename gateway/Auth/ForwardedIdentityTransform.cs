using Billing.ServiceDefaults.Security;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Billing.Gateway.Auth;

/// <summary>
/// On every proxied request: the caller's secret stays at the gateway (services never see API
/// keys, so they cannot leak them), and the authenticated caller goes on as a signed
/// <c>X-Billing-Identity</c>. Runs after the route's own transforms, which already dropped any
/// identity header the caller sent.
/// </summary>
public sealed class ForwardedIdentityTransform(IdentityMinter minter) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context) { }

    public void ValidateCluster(TransformClusterValidationContext context) { }

    public void Apply(TransformBuilderContext context) => context.AddRequestTransform(transform =>
    {
        var headers = transform.ProxyRequest.Headers;
        headers.Remove(HeaderNames.Authorization);
        headers.Remove(IdentityToken.Header);
        if (transform.HttpContext.Features.Get<Credential>() is { } credential)
            headers.TryAddWithoutValidation(IdentityToken.Header, minter.TokenFor(credential));
        return ValueTask.CompletedTask;
    });
}
