using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.State;
using static Billing.StripeSandbox.Pages.Html;

namespace Billing.StripeSandbox.Pages;

/// <summary>Hosted Connect onboarding behind an account link: one submit completes the account.</summary>
public static class OnboardingPage
{
    public static void MapOnboardingPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/connect/onboarding/{token}", (string token, SandboxState s) =>
        {
            lock (s.Gate)
            {
                if (!s.AccountLinks.TryGetValue(token, out var ticket)) return Page("Not found", "<h1>Unknown onboarding link.</h1>", 404);
                if (Spent(s, ticket)) return Refresh(ticket);
                var account = s.Find(ticket.Account)!;
                return Page("Onboarding", $"""
                    <h1>Set up payouts for {E(account["email"]?.GetValue<string>() ?? ticket.Account)}</h1>
                    <p>Test mode: the details below are filled in for you.</p>
                    <form method="post" action="/connect/onboarding/{E(token)}">
                      <label for="name">Legal name</label><input type="text" id="name" name="name" value="Jenny Rosen">
                      <label for="iban">Bank account</label><input type="text" id="iban" name="bank" value="000123456789">
                      <button type="submit" id="submit">Submit details</button>
                    </form>
                    """);
            }
        });
        app.MapPost("/connect/onboarding/{token}", (string token, SandboxState s) =>
        {
            lock (s.Gate)
            {
                if (!s.AccountLinks.TryGetValue(token, out var ticket)) return Page("Not found", "<h1>Unknown onboarding link.</h1>", 404);
                if (Spent(s, ticket)) return Refresh(ticket);
                ticket.Used = true;
                Connect.Onboard(s, new Cause(Ids.New("req_", 14), null), s.Find(ticket.Account)!);
                return ticket.ReturnUrl is { } ret ? Results.Redirect(ret, false) : Page("Done", "<h1 class=\"ok\">Onboarding complete.</h1>");
            }
        });
    }

    // Account links are single use and short-lived; a spent one sends the person to refresh_url.
    static bool Spent(SandboxState s, AccountLinkTicket ticket) => ticket.Used || ticket.ExpiresAt < s.RealNow;

    static IResult Refresh(AccountLinkTicket ticket) => ticket.RefreshUrl is { } url
        ? Results.Redirect(url, false)
        : Page("Expired", "<h1>This onboarding link has expired.</h1>", 410);
}
