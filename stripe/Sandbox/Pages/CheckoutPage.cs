using System.Text.Json.Nodes;
using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;
using static Billing.StripeSandbox.Pages.Html;

namespace Billing.StripeSandbox.Pages;

/// <summary>The hosted checkout page: line items, a card field, pay, or go back.</summary>
public static class CheckoutPage
{
    public static void MapCheckoutPage(this IEndpointRouteBuilder app)
    {
        app.MapFormPage("/checkout/{id}", (s, id) => Render(s, id, null), Pay);
    }

    static IResult Pay(SandboxState s, string id, IFormCollection form)
    {
        if (Find(s, id) is not { } session) return Page("Not found", "<h1>This checkout session does not exist.</h1>", 404);
        try
        {
            var cause = new Cause(Ids.New("req_", 14), null);
            Checkout.Complete(s, cause, session, form["card"].ToString(), Blank(form["email"]), Blank(form["name"]));
        }
        catch (StripeException e)
        {
            return Render(s, id, e.Message);
        }
        var target = session["success_url"]?.GetValue<string>()?.Replace("{CHECKOUT_SESSION_ID}", id);
        return target is null ? Page("Paid", "<h1 class=\"ok\">Payment complete.</h1>") : Results.Redirect(target, false);
    }

    static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    static JsonObject? Find(SandboxState s, string id) =>
        s.Find(id) is { } o && o["object"]!.GetValue<string>() == "checkout.session" ? o : null;

    static IResult Render(SandboxState s, string id, string? error)
    {
        if (Find(s, id) is not { } session) return Page("Not found", "<h1>This checkout session does not exist.</h1>", 404);
        var status = session["status"]!.GetValue<string>();
        if (status != "open")
            return Page("Checkout", $"<h1>This checkout session is {E(status)}.</h1>" + BackLink(session));
        var lines = string.Concat(s.SessionLineItems[id].Select(li =>
        {
            var recurring = li["price"]!["recurring"] is JsonObject r ? $" / {r["interval_count"]!.Long()} {r["interval"]}" : "";
            return $"<tr><td>{E(li["description"]?.GetValue<string>())} × {li["quantity"]!.Long()}</td>" +
                   $"<td>{Money(li["amount_total"]!.Long(), li["currency"]!.GetValue<string>())}{E(recurring)}</td></tr>";
        }));
        var total = session["amount_total"] is { } t ? Money(t.Long(), session["currency"]!.GetValue<string>()) : "";
        var email = session["customer_email"]?.GetValue<string>()
                    ?? (session["customer"]?.GetValue<string>() is { } c ? s.Find(c)?["email"]?.GetValue<string>() : null);
        var trial = s.Hidden.GetValueOrDefault(id + ":subscription_data")?["trial_period_days"]?.Long();
        return Page("Checkout", $"""
            <h1>Pay {E(total)}</h1>
            {(trial is > 0 ? $"<p>Includes a {trial}-day free trial.</p>" : "")}
            <div class="card"><table>{lines}</table></div>
            {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
            <form method="post" action="/checkout/{E(id)}">
              <label for="email">Email</label><input type="email" id="email" name="email" value="{E(email)}">
              <label for="name">Name on card</label><input type="text" id="name" name="name">
              <label for="card">Card number</label>
              <input type="text" id="card" name="card" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242" required>
              <p class="muted">Test cards: 4242 4242 4242 4242 pays · 4000 0000 0000 0002 declined ·
                 4000 0000 0000 9995 insufficient funds · 4000 0000 0000 0341 later charges fail.</p>
              <button type="submit" id="pay">Pay</button>
            </form>
            {BackLink(session)}
            """);
    }

    static string BackLink(JsonObject session) =>
        session["cancel_url"]?.GetValue<string>() is { } cancel ? $"<p><a id=\"cancel\" href=\"{E(cancel)}\">← Cancel and go back</a></p>" : "";
}
