using Microsoft.Extensions.Configuration;

namespace Billing.Gateway.Routing;

/// <summary>
/// The addresses of each service, from service-discovery configuration as .NET Aspire writes it:
/// <c>services:{name}:http:0</c>, <c>services:{name}:http:1</c>, … (environment
/// <c>services__catalog__http__0=http://127.0.0.1:5101</c>).
/// </summary>
public sealed class ServiceDestinations
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<Uri>> _byService;

    private ServiceDestinations(IReadOnlyDictionary<string, IReadOnlyList<Uri>> byService) => _byService = byService;

    public IReadOnlyList<Uri> For(string service) => _byService[service];

    /// <summary>Reads every service's addresses; a missing or malformed one stops the gateway with the key to set.</summary>
    public static ServiceDestinations Read(IConfiguration configuration, IEnumerable<string> services)
    {
        var byService = new Dictionary<string, IReadOnlyList<Uri>>();
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
            var addresses = new List<Uri>();
            foreach (var entry in entries)
            {
                if (Uri.TryCreate(entry.Value, UriKind.Absolute, out var address) && address.Scheme is "http" or "https")
                    addresses.Add(address);
                else
                    problems.Add($"{entry.Path} is '{entry.Value}', which is not an absolute http(s) address");
            }
            byService[service] = addresses;
        }
        if (problems.Count > 0)
            throw new InvalidOperationException("The gateway cannot start: " + string.Join("; ", problems) + ".");
        return new ServiceDestinations(byService);
    }
}
