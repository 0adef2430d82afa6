using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Stripe;
using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>
/// The Stripe sandbox running on 127.0.0.1:0 for one test class, and Stripe.net registered against it
/// exactly as a service registers it (<see cref="StripeServiceCollectionExtensions.AddStripeClient"/>;
/// only <c>Stripe:ApiBase</c> differs from production).
/// </summary>
public sealed class SandboxHost : IAsyncLifetime
{
    public const string SecretKey = "sk_test_client_against_sandbox";

    private WebApplication _app = null!;
    private ServiceProvider _clients = null!;

    public string BaseUrl { get; private set; } = "";

    public StripeClient Client { get; private set; } = null!;

    /// <summary>The sandbox's services, to hold its state lock in a test.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>A container with Stripe.net registered as services do; dispose it after the test.</summary>
    /// <param name="below">A handler under the resilience handler: it sees every attempt.</param>
    public ServiceProvider CreateServices(string secretKey = SecretKey, int retries = 2, DelegatingHandler? below = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Stripe:SecretKey"] = secretKey,
            ["Stripe:ApiBase"] = BaseUrl,
            ["Stripe:MaxNetworkRetries"] = retries.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection().AddLogging();
        var http = services.AddStripeClient(configuration);
        if (below is not null) http.AddHttpMessageHandler(() => below);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public async Task InitializeAsync()
    {
        _app = Billing.StripeSandbox.SandboxApp.Build(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _clients = CreateServices();
        Client = _clients.GetRequiredService<StripeClient>();
    }

    public async Task DisposeAsync()
    {
        await _clients.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
