namespace Billing.Stripe;

/// <summary>A Stripe <c>checkout.session</c>.</summary>
public sealed record CheckoutSession : StripeEntity, IHasId
{
    public required string Id { get; init; }
    /// <summary><c>open</c>, <c>complete</c> or <c>expired</c>.</summary>
    public string? Status { get; init; }
    /// <summary><c>paid</c>, <c>unpaid</c> or <c>no_payment_required</c>.</summary>
    public string? PaymentStatus { get; init; }
    /// <summary><c>payment</c>, <c>setup</c> or <c>subscription</c>.</summary>
    public string Mode { get; init; } = "";
    /// <summary>The hosted page; only while the session is open.</summary>
    public string? Url { get; init; }
    public string? UiMode { get; init; }
    public string? ClientSecret { get; init; }
    public string? SuccessUrl { get; init; }
    public string? CancelUrl { get; init; }
    public string? ReturnUrl { get; init; }
    public string? ClientReferenceId { get; init; }
    public string? CustomerEmail { get; init; }
    public Expandable<Customer>? Customer { get; init; }
    public CheckoutCustomerDetails? CustomerDetails { get; init; }
    /// <summary>Subscription mode, once completed.</summary>
    public Expandable<Subscription>? Subscription { get; init; }
    /// <summary>Payment mode.</summary>
    public Expandable<PaymentIntent>? PaymentIntent { get; init; }
    public Expandable<Invoice>? Invoice { get; init; }
    public string? SetupIntent { get; init; }
    public long? AmountSubtotal { get; init; }
    public long? AmountTotal { get; init; }
    public string? Currency { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset Created { get; init; }
    /// <summary>Only with <c>expand[]=line_items</c>.</summary>
    public StripeList<CheckoutLineItem>? LineItems { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public bool Livemode { get; init; }
}

public sealed record CheckoutCustomerDetails
{
    public string? Email { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public Address? Address { get; init; }
    public string? TaxExempt { get; init; }
}

/// <summary>A checkout line item (Stripe object <c>item</c>, id <c>li_</c>).</summary>
public sealed record CheckoutLineItem : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public Price? Price { get; init; }
    public long? Quantity { get; init; }
    public long AmountSubtotal { get; init; }
    public long AmountTotal { get; init; }
    public long AmountDiscount { get; init; }
    public long AmountTax { get; init; }
    public string Currency { get; init; } = "";
    public string? Description { get; init; }
}

/// <summary>A Stripe <c>billing_portal.session</c>.</summary>
public sealed record BillingPortalSession : StripeEntity, IHasId
{
    public required string Id { get; init; }
    /// <summary>Short-lived link to the portal.</summary>
    public string Url { get; init; } = "";
    public string? Customer { get; init; }
    public string? ReturnUrl { get; init; }
    public string? Configuration { get; init; }
    public string? Locale { get; init; }
    public DateTimeOffset Created { get; init; }
    public bool Livemode { get; init; }
}
