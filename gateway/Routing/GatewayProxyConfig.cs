using System.Globalization;
using Billing.ServiceDefaults.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Transforms;

namespace Billing.Gateway.Routing;

/// <summary>
/// The YARP configuration, made in code from <see cref="RouteTable"/> and the service addresses:
/// per row a read route (GET, HEAD, OPTIONS) and a write route with their own timeouts; per service a
/// cluster with active and passive health checks, and a route to its OpenAPI document.
/// </summary>
public sealed class GatewayProxyConfig : IProxyConfigProvider, IProxyConfig
{
    private static readonly string[] ReadMethods = ["GET", "HEAD", "OPTIONS"];
    private static readonly string[] WriteMethods = ["POST", "PUT", "PATCH", "DELETE"];

    public GatewayProxyConfig(ServiceDestinations destinations, IOptions<GatewayOptions> options)
    {
        var settings = options.Value;
        var access = new Dictionary<string, RouteAccess>();
        Routes = [.. RouteTable.Routes.SelectMany(route => ProxyRoutes(route, settings, access)), .. ServiceNames.All.Select(service => OpenApiRoute(service, settings.ReadTimeout, access))];
        Access = access;
        Clusters = [.. ServiceNames.All.Select(service => Cluster(service, destinations.For(service), settings))];
    }

    public IReadOnlyList<RouteConfig> Routes { get; }

    public IReadOnlyList<ClusterConfig> Clusters { get; }

    /// <summary>Who may call each route, by route id; attached to the proxy endpoints as metadata.</summary>
    public IReadOnlyDictionary<string, RouteAccess> Access { get; }

    // Fixed for the life of the process: the table is code and destinations come from start-up configuration.
    public IChangeToken ChangeToken { get; } = new CancellationChangeToken(CancellationToken.None);

    public IProxyConfig GetConfig() => this;

    /// <summary>Where a service publishes its document, and where the gateway shows it.</summary>
    public static string OpenApiPath(string service) => $"/openapi/{service}.json";

    private static IEnumerable<RouteConfig> ProxyRoutes(GatewayRoute route, GatewayOptions settings, Dictionary<string, RouteAccess> access)
    {
        var read = Route(route, "read", ReadMethods, settings.ReadTimeout);
        access[read.RouteId] = route.Access(read: true);
        yield return read;
        var write = Route(route, "write", WriteMethods, settings.WriteTimeout);
        access[write.RouteId] = route.Access(read: false);
        yield return write;
    }

    // A caller must never be able to hand a service an identity of its own making: whatever
    // X-Billing-Identity arrives from outside is dropped; only the gateway sets it (ForwardedIdentityTransform, after this).
    private static RouteConfig Route(GatewayRoute route, string kind, string[] methods, TimeSpan timeout) => new RouteConfig
    {
        RouteId = $"{route.Service} {kind} {route.Path}",
        ClusterId = route.Service,
        Match = new RouteMatch { Path = route.Pattern, Methods = methods },
        Timeout = timeout,
    }.WithTransformRequestHeaderRemove(IdentityToken.Header);

    // The service writes its own address into the document's servers unless it sees the gateway's host.
    private static RouteConfig OpenApiRoute(string service, TimeSpan timeout, Dictionary<string, RouteAccess> access)
    {
        var route = new RouteConfig
        {
            RouteId = $"{service} openapi",
            ClusterId = service,
            Match = new RouteMatch { Path = OpenApiPath(service), Methods = ["GET"] },
            Timeout = timeout,
        }.WithTransformPathSet("/openapi/v1.json").WithTransformUseOriginalHostHeader();
        access[route.RouteId] = RouteAccess.Public;
        return route;
    }

    private static ClusterConfig Cluster(string service, IReadOnlyList<Uri> addresses, GatewayOptions settings) => new()
    {
        ClusterId = service,
        Destinations = addresses.Select((address, index) => (address, index))
            .ToDictionary(d => $"{service}/{d.index}", d => new DestinationConfig { Address = d.address.ToString() }),
        Metadata = new Dictionary<string, string>
        {
            [ConsecutiveFailuresHealthPolicyOptions.ThresholdMetadataName] = settings.HealthCheckFailureThreshold.ToString(CultureInfo.InvariantCulture),
        },
        HealthCheck = new HealthCheckConfig
        {
            Active = new ActiveHealthCheckConfig
            {
                Enabled = true,
                Interval = settings.HealthCheckInterval,
                Timeout = settings.HealthCheckTimeout,
                Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                Path = "/health",
            },
            // Takes a destination out between probes when live calls to it fail.
            Passive = new PassiveHealthCheckConfig
            {
                Enabled = true,
                Policy = HealthCheckConstants.PassivePolicy.TransportFailureRate,
                ReactivationPeriod = settings.HealthCheckInterval,
            },
        },
    };
}
