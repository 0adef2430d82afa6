using Billing.Gateway.Routing;

namespace Billing.Tests.Gateway;

/// <summary>One <see cref="EchoService"/> per service behind the gateway, each answering its own name.</summary>
public sealed class EchoBackends : IAsyncDisposable
{
    private EchoBackends(IReadOnlyDictionary<string, EchoService> services) => Services = services;

    public IReadOnlyDictionary<string, EchoService> Services { get; }

    public static async Task<EchoBackends> StartAsync(params string[] except)
    {
        var names = ServiceNames.All.Except(except).ToList();
        var started = await Task.WhenAll(names.Select(EchoService.StartAsync));
        return new EchoBackends(started.ToDictionary(s => s.Name));
    }

    /// <summary>The destinations configuration for the gateway, with any overrides.</summary>
    public Dictionary<string, Uri[]> Destinations(params (string Service, Uri[] Addresses)[] overrides)
    {
        var destinations = Services.ToDictionary(s => s.Key, s => new[] { s.Value.Address });
        foreach (var (service, addresses) in overrides) destinations[service] = addresses;
        return destinations;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Services.Values) await service.DisposeAsync();
    }
}
