using System.Text.Json;
using Billing.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Tests.Gateway;

/// <summary>What an <see cref="EchoService"/> saw of a request.</summary>
/// <param name="Identity">The <c>X-Billing-Identity</c> header it received, if any.</param>
/// <param name="Authorization">The <c>Authorization</c> header it received, if any.</param>
public sealed record EchoReply(string Service, string Method, string Path, string Query, string? RequestId, string? Identity, string? Authorization)
{
    public static async Task<EchoReply> ReadAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<EchoReply>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)
        ?? throw new InvalidOperationException("The echo service answered an empty body.");
}

/// <summary>
/// A real HTTP server on 127.0.0.1 standing in for a service that is not built yet: it answers
/// <c>/health</c>, and every other request with its own name and what it received, after
/// <c>?delayMs=</c> if asked (to provoke timeouts).
/// </summary>
public sealed class EchoService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoService(WebApplication app, string name, Uri address)
    {
        _app = app;
        Name = name;
        Address = address;
    }

    public string Name { get; }

    public Uri Address { get; }

    public static async Task<EchoService> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/health", () => Results.Json(new { status = "Healthy" }));
        app.Map("/{**path}", async (HttpContext context) =>
        {
            if (int.TryParse(context.Request.Query["delayMs"], out var delay))
                await Task.Delay(delay, context.RequestAborted);
            return Results.Json(new EchoReply(name, context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "",
                context.Request.Headers["X-Request-Id"].FirstOrDefault(), context.Request.Headers["X-Billing-Identity"].FirstOrDefault(),
                context.Request.Headers.Authorization.FirstOrDefault()));
        });
        await app.StartAsync();
        return new EchoService(app, name, app.ListeningAddress());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
