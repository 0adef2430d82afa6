using Billing.Connect.Model;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;

namespace Billing.Connect.Apis;

/// <summary>Onboarding: where Stripe sends the person when done (<c>returnUrl</c>) and when the link has expired (<c>refreshUrl</c>: call onboard again).</summary>
public sealed record OnboardRequest(string? ReturnUrl, string? RefreshUrl)
{
    public void Validate(RedirectAllowlist allowlist)
    {
        new Validation().Text(ReturnUrl, "returnUrl", 2048).Text(RefreshUrl, "refreshUrl", 2048).ThrowIfInvalid();
        allowlist.EnsureAllowed(ReturnUrl, "returnUrl");
        allowlist.EnsureAllowed(RefreshUrl, "refreshUrl");
    }
}

public sealed record OnboardResponse(string AccountId, string OnboardingUrl, DateTimeOffset ExpiresAt);

/// <summary><c>connected</c>: an account exists; the flags are Stripe's.</summary>
public sealed record ConnectStatusResponse(bool Connected, bool DetailsSubmitted, bool ChargesEnabled, bool PayoutsEnabled, string? AccountId)
{
    public static ConnectStatusResponse From(ConnectedAccount? account) => account is null
        ? new(false, false, false, false, null)
        : new(true, account.DetailsSubmitted, account.ChargesEnabled, account.PayoutsEnabled, account.StripeAccountId);
}
