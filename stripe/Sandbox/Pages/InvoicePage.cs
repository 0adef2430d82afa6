using System.Text.Json.Nodes;
using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;
using static Billing.StripeSandbox.Pages.Html;

namespace Billing.StripeSandbox.Pages;

/// <summary>The hosted invoice page (<c>invoice.hosted_invoice_url</c>): see an invoice and pay it if it is open.</summary>
public static class InvoicePage
{
    public static void MapInvoicePage(this IEndpointRouteBuilder app)
    {
        app.MapFormPage("/invoices/{id}", (s, id) => Render(s, id, null), Pay);
    }

    static IResult Pay(SandboxState s, string id, IFormCollection form)
    {
        if (Find(s, id) is not { } invoice) return Page("Not found", "<h1>This invoice does not exist.</h1>", 404);
        var customer = invoice["customer"]!.GetValue<string>();
        var now = s.NowForCustomer(customer);
        try
        {
            var cause = new Cause(Ids.New("req_", 14), null);
            var number = TestCards.FromToken(form["card"].ToString()) ?? TestCards.Normalize(form["card"].ToString(), "card");
            var pm = PaymentMethods.CreateCard(s, s.ScopeOf(id), number, null, null, now);
            PaymentMethods.Attach(s, s.ScopeOf(id), cause, pm["id"]!.GetValue<string>(), customer, "card");
            if (!Subscriptions.PayByHand(s, cause, invoice, pm["id"]!.GetValue<string>(), now))
                return Render(s, id, invoice["payments"]!["data"]![0]!["payment"]!["payment_intent"]!.GetValue<string>() is { } pi
                    ? s.Find(pi)?["last_payment_error"]?["message"]?.GetValue<string>() ?? "Your card was declined." : "Your card was declined.");
        }
        catch (StripeException e)
        {
            return Render(s, id, e.Message);
        }
        return Render(s, id, null);
    }

    static JsonObject? Find(SandboxState s, string id) =>
        s.Find(id) is { } o && o["object"]!.GetValue<string>() == "invoice" ? o : null;

    static IResult Render(SandboxState s, string id, string? error)
    {
        if (Find(s, id) is not { } invoice) return Page("Not found", "<h1>This invoice does not exist.</h1>", 404);
        var currency = invoice["currency"]!.GetValue<string>();
        var status = invoice["status"]!.GetValue<string>();
        var lines = string.Concat(invoice["lines"]!["data"]!.AsArray().Select(l =>
            $"<tr><td>{E(l!["description"]?.GetValue<string>())}</td><td>{Money(l["amount"]!.Long(), currency)}</td></tr>"));
        var pay = status != "open" ? "" : $"""
            {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
            <form method="post" action="/invoices/{E(id)}">
              <label for="card">Card number</label><input type="text" id="card" name="card" placeholder="4242 4242 4242 4242" required>
              <button type="submit" id="pay">Pay {Money(invoice["amount_remaining"]!.Long(), currency)}</button>
            </form>
            """;
        return Page("Invoice", $"""
            <h1>Invoice {E(invoice["number"]?.GetValue<string>())}</h1>
            <p>Status: <strong id="status">{E(status)}</strong> · amount due {Money(invoice["amount_due"]!.Long(), currency)}</p>
            <div class="card"><table>{lines}</table></div>
            {pay}
            """);
    }
}
