using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Billing.Tests.Infrastructure;

/// <summary>
/// A minimal OpenTelemetry collector on loopback: accepts OTLP/HTTP protobuf exports
/// (<c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>) and keeps their bodies, so a test
/// can see which process exported which signal.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _exports;

    private OtlpReceiver(WebApplication app, ConcurrentQueue<(string Signal, byte[] Body)> exports)
    {
        _app = app;
        _exports = exports;
        Endpoint = app.ListeningAddress().GetLeftPart(UriPartial.Authority);
    }

    /// <summary>The value for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>).</summary>
    public string Endpoint { get; }

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var exports = new ConcurrentQueue<(string Signal, byte[] Body)>();
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            exports.Enqueue((signal, body.ToArray()));
            // An empty Export*ServiceResponse: everything accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return new OtlpReceiver(app, exports);
    }

    /// <summary>
    /// Whether an export of <paramref name="signal"/> (traces, metrics, logs) came from the service of
    /// that name, and, given <paramref name="scope"/>, held telemetry of that instrumentation scope
    /// (an ActivitySource or Meter name, e.g. <c>Npgsql</c>).
    /// </summary>
    public bool Received(string signal, string serviceName, string? scope = null)
    {
        var resource = ServiceNameAttribute(serviceName);
        var scopeName = scope is null ? null : ScopeName(scope);
        return _exports.Any(e => e.Signal == signal && e.Body.AsSpan().IndexOf(resource) >= 0
            && (scopeName is null || e.Body.AsSpan().IndexOf(scopeName) >= 0));
    }

    /// <summary>The name field of an InstrumentationScope { 1: name, 2: version, … } as protobuf encodes it.</summary>
    private static byte[] ScopeName(string scope)
    {
        var name = Encoding.UTF8.GetBytes(scope);
        return [0x0A, (byte)name.Length, .. name];
    }

    /// <summary>
    /// The resource attribute <c>service.name = serviceName</c> as protobuf encodes it: KeyValue
    /// { 1: key, 2: AnyValue { 1: string_value } }. Matching the whole attribute, not the bare name,
    /// keeps a span that merely mentions another service (a URL, a route) from counting as its export.
    /// </summary>
    private static byte[] ServiceNameAttribute(string serviceName)
    {
        var key = Encoding.UTF8.GetBytes("service.name");
        var value = Encoding.UTF8.GetBytes(serviceName);
        return [0x0A, (byte)key.Length, .. key, 0x12, (byte)(value.Length + 2), 0x0A, (byte)value.Length, .. value];
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
