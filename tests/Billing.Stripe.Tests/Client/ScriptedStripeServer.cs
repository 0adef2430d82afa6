using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Stripe.Tests.Client;

/// <summary>What the scripted server saw of one request.</summary>
public sealed record ReceivedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>
/// A real Kestrel server on 127.0.0.1:0 that answers from a script, one step per request, and
/// records what it received. Not a Stripe imitation: each test says exactly what comes back.
/// </summary>
public sealed class ScriptedStripeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();

    private ScriptedStripeServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedRequest> Requests => _received.ToArray();

    public static async Task<ScriptedStripeServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new ScriptedStripeServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public StripeClient CreateClient(Action<StripeOptions>? configure = null)
    {
        var options = new StripeOptions
        {
            SecretKey = "sk_test_scripted",
            ApiBase = BaseUrl,
            // Short waits keep the retry tests fast; the backoff shape is the same.
            InitialRetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(40),
        };
        configure?.Invoke(options);
        return StripeClient.Create(options);
    }

    /// <summary>Answers the next request with this status, JSON body and headers.</summary>
    public ScriptedStripeServer Respond(int status, string body, params (string Name, string Value)[] headers)
    {
        _script.Enqueue(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.Headers["Request-Id"] = $"req_scripted_{_received.Count}";
            foreach (var (name, value) in headers)
                context.Response.Headers[name] = value;
            await context.Response.WriteAsync(body);
        });
        return this;
    }

    /// <summary>Drops the connection without any answer, as a network failure would.</summary>
    public ScriptedStripeServer Drop()
    {
        _script.Enqueue(context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        return this;
    }

    /// <summary>Answers only after a delay (or when the client gives up).</summary>
    public ScriptedStripeServer Stall(TimeSpan delay)
    {
        _script.Enqueue(async context =>
        {
            try
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            context.Response.StatusCode = 200;
            await context.Response.WriteAsync("{}");
        });
        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _received.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body, DateTimeOffset.UtcNow));
        if (_script.TryDequeue(out var step))
        {
            await step(context);
            return;
        }
        context.Response.StatusCode = 599;
        await context.Response.WriteAsync("""{"error":{"type":"api_error","message":"script exhausted"}}""");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
