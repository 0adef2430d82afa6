using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Webhooks;

/// <summary>
/// Delivers every event to the matching endpoints in the background: platform events to platform
/// endpoints, connected-account events to Connect endpoints; signed, retried with doubling backoff,
/// and disturbed on purpose when chaos switches are on.
/// </summary>
public sealed class WebhookDispatcher : BackgroundService
{
    sealed record Delivery(string EventId, string EventType, string EndpointId, string Url, string Secret, byte[] Body,
        int Attempt, bool Duplicate);

    readonly Channel<Delivery> queue = Channel.CreateUnbounded<Delivery>();
    readonly SandboxState state;
    readonly WebhookDeliveryOptions options;
    readonly ChaosSwitch chaos;
    readonly DeliveryLog log;
    readonly ILogger<WebhookDispatcher> logger;
    readonly HttpClient http;
    readonly HashSet<(string, string)> delivered = [];

    public WebhookDispatcher(SandboxState state, SandboxOptions options, ChaosSwitch chaos, DeliveryLog log, ILogger<WebhookDispatcher> logger)
    {
        this.state = state;
        this.options = options.Delivery;
        this.chaos = chaos;
        this.log = log;
        this.logger = logger;
        http = new HttpClient { Timeout = this.options.Timeout };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("Stripe/1.0 (+https://stripe.com/docs/webhooks)");
        state.EventEmitted += Enqueue;
    }

    // Runs inside the state lock, so endpoints and the event are read consistently.
    void Enqueue(JsonObject evt, string? account)
    {
        var type = evt["type"]!.GetValue<string>();
        var connect = account is not null;
        var targets = state.All(null, "webhook_endpoint").Where(e =>
            e["status"]!.GetValue<string>() == "enabled" &&
            state.Hidden[e["id"]!.GetValue<string>()]["connect"]!.GetValue<bool>() == connect &&
            e["enabled_events"]!.AsArray().Any(x => x!.GetValue<string>() is var t && (t == "*" || t == type))).ToList();
        if (targets.Count == 0) return;
        evt["pending_webhooks"] = targets.Count;
        var body = StripeEndpoints.Serialize(evt);
        var duplicate = chaos.Current.Duplicate;
        foreach (var endpoint in targets)
        {
            var id = endpoint["id"]!.GetValue<string>();
            var delivery = new Delivery(evt["id"]!.GetValue<string>(), type, id, endpoint["url"]!.GetValue<string>(),
                state.Hidden[id]["secret"]!.GetValue<string>(), body, 1, false);
            queue.Writer.TryWrite(delivery);
            if (duplicate) queue.Writer.TryWrite(delivery with { Duplicate = true });
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(Math.Max(1, options.Concurrency));
        var reader = queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                var batch = new List<Delivery>();
                var window = Math.Max(1, chaos.Current.ShuffleWindow);
                if (window > 1) await Task.Delay(50, stoppingToken); // let a window's worth arrive
                while (batch.Count < window && reader.TryRead(out var d)) batch.Add(d);
                if (window > 1) Random.Shared.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batch));
                foreach (var delivery in batch)
                {
                    await slots.WaitAsync(stoppingToken);
                    _ = Task.Run(async () =>
                    {
                        try { await Send(delivery, stoppingToken); }
                        finally { slots.Release(); }
                    }, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    async Task Send(Delivery d, CancellationToken token)
    {
        if (!StillEnabled(d.EndpointId))
        {
            Record(d, "failed", null, "endpoint disabled or deleted", DateTimeOffset.UtcNow, 0);
            return;
        }
        var settings = chaos.Current;
        if (settings.DropPercent > 0 && Random.Shared.Next(100) < settings.DropPercent)
        {
            Record(d, "dropped", null, "dropped by chaos settings", DateTimeOffset.UtcNow, 0);
            return;
        }
        if (settings.DelayMs > 0) await Task.Delay(settings.DelayMs, token);
        var started = DateTimeOffset.UtcNow;
        var watch = Stopwatch.StartNew();
        int? status = null;
        string? error = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, d.Url) { Content = new ByteArrayContent(d.Body) };
            request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
            request.Headers.TryAddWithoutValidation("Stripe-Signature",
                WebhookSignature.Header(d.Secret, state.Time.GetUtcNow().ToUnixTimeSeconds(), d.Body));
            using var response = await http.SendAsync(request, token);
            status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode) error = $"HTTP {status}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !token.IsCancellationRequested)
        {
            error = e.Message;
        }
        if (error is null)
        {
            Record(d, "succeeded", status, null, started, watch.ElapsedMilliseconds);
            MarkDelivered(d);
            return;
        }
        var retry = d.Attempt < options.MaxAttempts;
        Record(d, retry ? "failed_will_retry" : "failed", status, error, started, watch.ElapsedMilliseconds);
        if (!retry) return;
        var wait = options.InitialBackoff * Math.Pow(2, d.Attempt - 1);
        logger.LogInformation("Webhook {Event} to {Url} failed ({Error}); retry {Attempt} in {Wait}", d.EventId, d.Url, error, d.Attempt + 1, wait);
        _ = Task.Delay(wait, token).ContinueWith(_ => queue.Writer.TryWrite(d with { Attempt = d.Attempt + 1 }),
            TaskContinuationOptions.OnlyOnRanToCompletion);
    }

    // Disabling or deleting an endpoint stops its pending deliveries and retries, as in Stripe.
    bool StillEnabled(string endpointId)
    {
        lock (state.Gate)
            return state.Find(endpointId) is { } e && e["status"]!.GetValue<string>() == "enabled";
    }

    void Record(Delivery d, string status, int? httpStatus, string? error, DateTimeOffset at, long ms) =>
        log.Add(new DeliveryRecord(Ids.New("whdel_"), d.EventId, d.EventType, d.EndpointId, d.Url, d.Attempt, d.Duplicate,
            status, httpStatus, error, at, ms));

    // pending_webhooks counts endpoints still owed the event; duplicates must not count twice.
    void MarkDelivered(Delivery d)
    {
        lock (state.Gate)
        {
            if (!delivered.Add((d.EventId, d.EndpointId))) return;
            if (state.Find(d.EventId) is { } evt)
                evt["pending_webhooks"] = Math.Max(0, evt["pending_webhooks"]!.Long() - 1);
        }
    }

    public override void Dispose()
    {
        state.EventEmitted -= Enqueue;
        http.Dispose();
        base.Dispose();
    }
}
