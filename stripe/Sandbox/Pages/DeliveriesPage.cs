using Billing.StripeSandbox.Webhooks;
using static Billing.StripeSandbox.Pages.Html;

namespace Billing.StripeSandbox.Pages;

/// <summary>A page listing recent webhook deliveries and their results.</summary>
public static class DeliveriesPage
{
    public static void MapDeliveriesPage(this IEndpointRouteBuilder app) =>
        app.MapGet("/sandbox/webhooks", (DeliveryLog log, ChaosSwitch chaos) =>
        {
            var rows = string.Concat(log.Snapshot().Reverse().Take(500).Select(r =>
                $"<tr><td>{r.At:HH:mm:ss.fff}</td><td>{E(r.EventType)}<br><span class=\"muted\">{E(r.EventId)}</span></td>" +
                $"<td>{E(r.Url)}</td><td>{r.Attempt}{(r.Duplicate ? " (dup)" : "")}</td>" +
                $"<td class=\"{(r.Status == "succeeded" ? "ok" : "error")}\">{E(r.Status)} {r.HttpStatus}</td><td>{E(r.Error)}</td></tr>"));
            var c = chaos.Current;
            return Page("Webhook deliveries", $"""
                <h1>Webhook deliveries</h1>
                <p class="muted">Chaos: duplicate={c.Duplicate}, shuffle window={c.ShuffleWindow}, delay={c.DelayMs} ms, drop={c.DropPercent}%</p>
                <table><tr><th>time</th><th>event</th><th>endpoint</th><th>attempt</th><th>result</th><th>error</th></tr>{rows}</table>
                """);
        });
}
