namespace Billing.Subscriptions;

/// <summary>Settings of the Subscriptions service (section <c>Subscriptions</c>).</summary>
public sealed class SubscriptionsOptions
{
    public const string Section = "Subscriptions";

    /// <summary>
    /// Test-only: when true, a customer whose metadata holds <c>stripe_test_clock</c> gets its Stripe
    /// customer made on that Stripe test clock, so tests can move its subscriptions through time.
    /// Off by default: in production no caller can attach a customer to a clock.
    /// </summary>
    public bool AllowTestClocks { get; set; }

    public const int DefaultEventConcurrency = 32;

    /// <summary>
    /// Messages each consumer of Stripe's events handles at once (<c>Subscriptions:EventConcurrency</c>; read
    /// once at start-up). Each holds a database connection while it runs.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 256)]
    public int EventConcurrency { get; set; } = DefaultEventConcurrency;

    /// <summary>
    /// Where the platform dashboard may send a developer back after Checkout or the portal (the account
    /// token carries no app allowlist): exact origins in the allowlist format. Empty: any
    /// <c>http://localhost:PORT</c> or <c>http://127.0.0.1:PORT</c> (local development).
    /// Bound from <c>Dashboard:RedirectOrigins</c>.
    /// </summary>
    public List<string> DashboardRedirectOrigins { get; set; } = [];
}
