using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Stripe.Tests.Sandbox.Support;

/// <summary>
/// A real Kestrel webhook receiver: verifies <c>Stripe-Signature</c> itself (independently of the
/// sandbox's signing code) and records every request.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string EventId, string Type, string? Account, bool SignatureValid, long Timestamp, JsonObject Event, int AnsweredWith)
    {
        /// <summary>The body exactly as delivered, and its Stripe-Signature header: what a receiver verifies.</summary>
        public string Body { get; init; } = "";
        public string Header { get; init; } = "";
    }

    readonly WebApplication app;
    readonly ConcurrentDictionary<string, int> attemptsByEvent = new();
    public ConcurrentQueue<Received> Requests { get; } = new();
    public string Url { get; private set; } = "";
    /// <summary>The secret signatures are checked with (settable: API-created endpoints get theirs at creation).</summary>
    public string Secret { get; set; }
    /// <summary>Answer 500 to this many first attempts of every event.</summary>
    public int FailFirstAttempts { get; set; }

    WebhookReceiver(WebApplication app, string secret)
    {
        this.app = app;
        Secret = secret;
    }

    public static async Task<WebhookReceiver> StartAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["urls"] = "http://127.0.0.1:0";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, secret);
        app.MapPost("/hook", (Func<HttpContext, Task<IResult>>)receiver.Handle);
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return receiver;
    }

    async Task<IResult> Handle(HttpContext ctx)
    {
        using var buffer = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var header = ctx.Request.Headers["Stripe-Signature"].ToString();
        var (timestamp, valid) = Verify(header, body, Secret);
        var evt = JsonNode.Parse(body)!.AsObject();
        var id = evt["id"]!.GetValue<string>();
        var attempt = attemptsByEvent.AddOrUpdate(id, 1, (_, n) => n + 1);
        var status = attempt <= FailFirstAttempts ? 500 : 200;
        Requests.Enqueue(new Received(id, evt["type"]!.GetValue<string>(), evt["account"]?.GetValue<string>(), valid, timestamp, evt, status)
        {
            Body = Encoding.UTF8.GetString(body),
            Header = header,
        });
        return Results.StatusCode(status);
    }

    /// <summary>Stripe's verification: any v1 equal to HMAC-SHA256(secret, "t.body"), compared in constant time.</summary>
    public static (long Timestamp, bool Valid) Verify(string header, byte[] body, string secret)
    {
        long t = 0;
        var signatures = new List<string>();
        foreach (var part in header.Split(','))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2) continue;
            if (kv[0] == "t") long.TryParse(kv[1], out t);
            else if (kv[0] == "v1") signatures.Add(kv[1]);
        }
        var payload = Encoding.UTF8.GetBytes($"{t}.").Concat(body).ToArray();
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload);
        var valid = signatures.Any(s =>
        {
            try { return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(s), expected); }
            catch (FormatException) { return false; }
        });
        return (t, valid && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - t) <= 300);
    }

    public async Task<List<Received>> WaitFor(Func<List<Received>, bool> done, string what, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var snapshot = Requests.ToList();
            if (done(snapshot)) return snapshot;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}; got {snapshot.Count} requests");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
