using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Infrastructure;

/// <summary>
/// A service hosted for a test over real HTTP on 127.0.0.1, configured the way the AppHost
/// configures it, with its migrations applied first.
/// </summary>
public sealed class TestService : IAsyncDisposable
{
    private TestService(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }
    public Uri Address { get; }
    /// <summary>A client with no identity, as a caller that bypassed the gateway.</summary>
    public HttpClient Client { get; }
    public IServiceProvider Services => App.Services;

    public static async Task<TestService> StartAsync(
        Func<string[], WebApplication> build, InfrastructureFixture infrastructure, string schema,
        IDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{schema}db"] = infrastructure.Database(schema),
            ["ConnectionStrings:rabbitmq"] = infrastructure.RabbitMq.ConnectionString,
            ["ConnectionStrings:redis"] = infrastructure.Redis.ConnectionString,
            ["urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Identity:PublicKey"] = TestIdentity.PublicKey,
            // A test may stop its host at once: the bus must be fully up first (see MessagingOptions).
            ["Messaging:WaitUntilBusStarted"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) configuration[key] = value;

        var app = build(configuration.Select(kv => $"--{kv.Key}={kv.Value}").ToArray());
        await app.Services.GetRequiredService<SqlMigrator>().MigrateAsync();
        await app.StartAsync();
        return new TestService(app, app.ListeningAddress());
    }

    /// <summary>A client calling as a secret key of <paramref name="appId"/> (full when no scopes are given).</summary>
    public HttpClient ClientFor(string appId, params string[] scopes) => ClientAs(TestIdentity.SecretKey(appId, scopes));

    /// <summary>A client calling with the given identity, signed as the gateway signs it.</summary>
    public HttpClient ClientAs(CallerIdentity identity)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Add(IdentityToken.Header, TestIdentity.Sign(identity));
        return client;
    }

    /// <summary>Runs <paramref name="use"/> in a DI scope of the service that lives until it completes.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> use)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
