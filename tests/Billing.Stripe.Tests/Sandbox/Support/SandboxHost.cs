using Xunit;
using Billing.StripeSandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Stripe.Tests.Sandbox.Support;

/// <summary>The sandbox on a real Kestrel port on loopback, in process, with optional extra configuration.</summary>
public sealed class SandboxHost : IAsyncDisposable
{
    public WebApplication App { get; }
    public string BaseUrl { get; }
    public StripeHttp Stripe { get; }

    SandboxHost(WebApplication app, string baseUrl)
    {
        App = app;
        BaseUrl = baseUrl;
        Stripe = new StripeHttp(baseUrl, "sk_test_sandbox_tests");
    }

    public static async Task<SandboxHost> StartAsync(params string[] config)
    {
        var args = new List<string> { "--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning" };
        args.AddRange(config.Select(c => "--" + c));
        var app = SandboxApp.Build([.. args]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SandboxHost(app, address.TrimEnd('/'));
    }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Stripe.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>One sandbox shared by the tests of a class; every test makes its own objects.</summary>
public sealed class SharedSandbox : IAsyncLifetime
{
    public SandboxHost Host { get; private set; } = null!;
    public StripeHttp Stripe => Host.Stripe;
    public async Task InitializeAsync() => Host = await SandboxHost.StartAsync();
    public async Task DisposeAsync() => await Host.DisposeAsync();
}
