using System.Text.Json.Nodes;
using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;
using static Billing.StripeSandbox.Pages.Html;

namespace Billing.StripeSandbox.Pages;

/// <summary>The hosted billing portal: cancel at period end, resume, switch price, update the card.</summary>
public static class PortalPage
{
    public static void MapPortalPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/billing_portal/{id}", (string id, string? message, SandboxState s) =>
        {
            lock (s.Gate) return Render(s, id, message);
        });
        app.MapPost("/billing_portal/{id}/{action}", async (string id, string action, HttpContext ctx, SandboxState s) =>
        {
            var form = await ctx.Request.ReadFormAsync();
            string message;
            lock (s.Gate)
            {
                try
                {
                    var session = Portal.Session(s, id);
                    var cause = new Cause(Ids.New("req_", 14), null);
                    var sub = form["subscription"].ToString();
                    switch (action)
                    {
                        case "cancel":
                            Portal.CancelAtPeriodEnd(s, cause, session, sub);
                            message = "Your plan will be canceled at the end of the period.";
                            break;
                        case "resume":
                            Portal.Resume(s, cause, session, sub);
                            message = "Your plan was resumed.";
                            break;
                        case "switch":
                            Portal.SwitchPrice(s, cause, session, sub, form["price"]);
                            message = "Your plan was changed.";
                            break;
                        case "card":
                            Portal.UpdateCard(s, cause, session, form["card"].ToString());
                            message = "Your card was updated.";
                            break;
                        default:
                            throw StripeException.Invalid("Unknown action.");
                    }
                }
                catch (StripeException e)
                {
                    message = "Error: " + e.Message;
                }
            }
            return Results.Redirect($"/billing_portal/{Uri.EscapeDataString(id)}?message={Uri.EscapeDataString(message)}", false);
        });
    }

    static IResult Render(SandboxState s, string id, string? message)
    {
        JsonObject session;
        try { session = Portal.Session(s, id); }
        catch (StripeException) { return Page("Not found", "<h1>This portal session does not exist.</h1>", 404); }
        var customer = s.Find(session["customer"]!.GetValue<string>());
        var subscriptions = Portal.Subscriptions(s, session);
        // Checkout puts the card on the subscription, the portal on the customer: show whichever is set.
        var defaultCard = customer?["invoice_settings"]?["default_payment_method"]?.GetValue<string>()
            ?? subscriptions.Select(x => x["default_payment_method"]?.GetValue<string>()).FirstOrDefault(x => x is not null);
        var cards = defaultCard is { } pm && s.Find(pm) is { } method
            ? $"{E(method["card"]!["brand"]!.GetValue<string>())} •••• {E(method["card"]!["last4"]!.GetValue<string>())}" : "none on file";
        var subs = string.Concat(subscriptions.Select(sub => Subscription(s, id, sub)));
        var back = session["return_url"]?.GetValue<string>() is { } ret ? $"<p><a id=\"return\" href=\"{E(ret)}\">← Return</a></p>" : "";
        var note = message is null ? "" : $"<p class=\"{(message.StartsWith("Error") ? "error" : "ok")}\" role=\"status\">{E(message)}</p>";
        return Page("Billing", $"""
            <h1>Billing for {E(customer?["email"]?.GetValue<string>() ?? customer?["id"]?.GetValue<string>())}</h1>
            {note}
            {(subs.Length == 0 ? "<p>No active subscriptions.</p>" : subs)}
            <div class="card"><h2>Payment method</h2><p>Default card: {cards}</p>
              <form method="post" action="/billing_portal/{E(id)}/card">
                <label for="card">New card number</label><input type="text" id="card" name="card" placeholder="4242 4242 4242 4242" required>
                <button type="submit">Update card</button></form></div>
            {back}
            """);
    }

    static string Subscription(SandboxState s, string portalId, JsonObject sub)
    {
        var subId = E(sub["id"]!.GetValue<string>());
        var price = sub["items"]!["data"]![0]!["price"]!;
        var product = s.Find(price["product"]!.GetValue<string>())?["name"]?.GetValue<string>();
        var end = DateTimeOffset.FromUnixTimeSeconds(Subscriptions.PeriodEnd(sub)).ToString("yyyy-MM-dd");
        var canceling = sub["cancel_at_period_end"]!.GetValue<bool>();
        var action = canceling
            ? Form(portalId, "resume", subId, "", "Resume plan")
            : Form(portalId, "cancel", subId, "", "Cancel plan");
        var options = string.Concat(Portal.Alternatives(s, sub).Select(p =>
            $"<option value=\"{E(p["id"]!.GetValue<string>())}\">{Money(p["unit_amount"]!.Long(), p["currency"]!.GetValue<string>())} / {E(p["recurring"]!["interval"]!.GetValue<string>())}</option>"));
        var change = options.Length == 0 ? "" : Form(portalId, "switch", subId,
            $"<label for=\"price-{subId}\">Switch to</label><select id=\"price-{subId}\" name=\"price\">{options}</select>", "Change plan");
        return $"""
            <div class="card"><h2>{E(product)}</h2>
              <p>{Money(price["unit_amount"]!.Long(), price["currency"]!.GetValue<string>())} / {E(price["recurring"]!["interval"]!.GetValue<string>())}
                 · status <strong>{E(sub["status"]!.GetValue<string>())}</strong></p>
              <p>{(canceling ? $"Cancels on {end}." : sub["status"]!.GetValue<string>() == "trialing" ? $"Trial ends on {end}." : $"Renews on {end}.")}</p>
              {action}{change}</div>
            """;
    }

    static string Form(string portalId, string action, string subId, string fields, string label) =>
        $"<form method=\"post\" action=\"/billing_portal/{E(portalId)}/{action}\"><input type=\"hidden\" name=\"subscription\" value=\"{subId}\">{fields}<button type=\"submit\">{E(label)}</button></form>";
}
