using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>
/// The Stripe sandbox (branch <c>sandbox</c>) running on 127.0.0.1:0 for one test class, and a
/// client pointed at it exactly as a service would be (only <c>ApiBase</c> differs).
/// </summary>
public sealed class SandboxHost : IAsyncLifetime
{
    public const string SecretKey = "sk_test_client_against_sandbox";

    private WebApplication _app = null!;

    public string BaseUrl { get; private set; } = "";

    public StripeClient Client { get; private set; } = null!;

    /// <summary>The sandbox's services, to hold its state lock in a test.</summary>
    public IServiceProvider Services => _app.Services;

    public StripeClient CreateClient(string secretKey = SecretKey, Action<StripeOptions>? configure = null, HttpMessageHandler? handler = null)
    {
        var options = new StripeOptions
        {
            SecretKey = secretKey,
            ApiBase = BaseUrl,
            InitialRetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        };
        configure?.Invoke(options);
        return StripeClient.Create(options, handler);
    }

    public async Task InitializeAsync()
    {
        _app = Billing.StripeSandbox.SandboxApp.Build(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = CreateClient();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
