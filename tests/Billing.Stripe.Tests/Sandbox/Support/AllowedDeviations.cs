namespace Billing.Stripe.Tests.Sandbox.Support;

/// <summary>
/// The only places where sandbox objects may differ from the 2023 OpenAPI schemas: the later API
/// changes that section 8 of stripe/spec/API-SUBSET.md lists (there the current shape wins) and the
/// current fields its endpoint digest names. Keyed by the schema that owns the field.
/// </summary>
public static class AllowedDeviations
{
    /// <summary>Fields the 2023 schema requires that the current API no longer has.</summary>
    static readonly HashSet<(string Schema, string Field)> Removed =
    [
        ("subscription", "current_period_start"), // billing period moved to each subscription_item
        ("subscription", "current_period_end"),
        ("product", "features"),                   // renamed marketing_features
        ("recurring", "aggregate_usage"),          // removed; meter added
    ];

    /// <summary>Fields the current API has that the 2023 schema does not.</summary>
    static readonly HashSet<(string Schema, string Field)> Added =
    [
        ("subscription_item", "current_period_start"),
        ("subscription_item", "current_period_end"),
        ("invoice", "parent"),                     // replaces invoice.subscription
        ("invoice", "payments"),                   // replaces invoice.payment_intent / invoice.charge
        ("line_item", "parent"),                   // the invoice line's subscription item (digest: invoice lines)
        ("line_item", "pricing"),                  // digest: invoice lines carry `pricing`
        ("invoiceitem", "parent"),                 // like invoice lines: parent.subscription_details replaces subscription
        ("invoiceitem", "pricing"),                // like invoice lines: pricing.price_details replaces price
        ("product", "marketing_features"),
        ("recurring", "meter"),
        ("checkout.session", "ui_mode"),           // absent in 2023
        ("account", "controller"),                 // `type` deprecated in favour of controller
        ("account_unification_account_controller", "fees"),
        ("account_unification_account_controller", "losses"),
        ("account_unification_account_controller", "requirement_collection"),
        ("account_unification_account_controller", "stripe_dashboard"),
        ("billing_portal.session", "customer_account"),
        ("recurring", "trial_period_days"),        // digest, prices: recurring{..., trial_period_days?}
        ("test_helpers.test_clock", "status_details"), // digest, test clocks: status_details.advancing
    ];

    /// <summary>Enum values introduced later (checkout ui_mode is now hosted_page|embedded_page|form|elements).</summary>
    static readonly HashSet<(string Schema, string Value)> NewEnumValues =
    [
        ("checkout.session", "hosted_page"),
    ];

    public static bool MayBeMissing(string schema, string field) => Removed.Contains((schema, field));
    public static bool MayBeAdded(string schema, string field) => Added.Contains((schema, field));
    public static bool EnumValue(string schema, string path, string value) => NewEnumValues.Contains((schema, value));
}
