using Microsoft.Extensions.Configuration;

namespace Billing.Gateway.Routing;

/// <summary>
/// Each service's destination for YARP, <c>http://{name}</c>, which service discovery resolves from
/// the configuration .NET Aspire writes: <c>services:{name}:http:0</c>, <c>services:{name}:http:1</c>, …
/// (environment <c>services__catalog__http__0=http://127.0.0.1:5101</c>). That configuration is
/// checked at start, so a missing or malformed address stops the gateway naming the key to set,
/// instead of failing each call later.
/// </summary>
public sealed class ServiceDestinations
{
    private ServiceDestinations() { }

    public IReadOnlyList<Uri> For(string service) => [new Uri($"http://{service}")];

    /// <summary>Checks every service's addresses; a missing or malformed one stops the gateway with the key to set.</summary>
    public static ServiceDestinations Read(IConfiguration configuration, IEnumerable<string> services)
    {
        var problems = new List<string>();
        foreach (var service in services)
        {
            var entries = configuration.GetSection($"services:{service}:http").GetChildren()
                .Where(entry => !string.IsNullOrWhiteSpace(entry.Value))
                .OrderBy(entry => int.TryParse(entry.Key, out var index) ? index : int.MaxValue)
                .ToList();
            if (entries.Count == 0)
            {
                problems.Add($"services:{service}:http:0 (environment variable services__{service}__http__0) is missing: set it to the {service} service's address, e.g. http://127.0.0.1:5101");
                continue;
            }
            foreach (var entry in entries)
            {
                if (!Uri.TryCreate(entry.Value, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
                    problems.Add($"{entry.Path} is '{entry.Value}', which is not an absolute http(s) address");
            }
        }
        if (problems.Count > 0)
            throw new InvalidOperationException("The gateway cannot start: " + string.Join("; ", problems) + ".");
        return new ServiceDestinations();
    }
}
