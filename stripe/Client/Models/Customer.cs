namespace Billing.Stripe;

/// <summary>A Stripe <c>customer</c>.</summary>
public sealed record Customer : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public DateTimeOffset Created { get; init; }
    public string? Email { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? Description { get; init; }
    public Address? Address { get; init; }
    /// <summary>Credit balance in minor units; negative is credit, positive is owed.</summary>
    public long Balance { get; init; }
    public string? Currency { get; init; }
    public bool? Delinquent { get; init; }
    public CustomerInvoiceSettings? InvoiceSettings { get; init; }
    /// <summary><c>none</c>, <c>exempt</c> or <c>reverse</c>.</summary>
    public string? TaxExempt { get; init; }
    public Expandable<TestClock>? TestClock { get; init; }
    /// <summary>True on a retrieved customer that was deleted (Stripe then sends only id and this).</summary>
    public bool? Deleted { get; init; }
    /// <summary>Only when asked for with <c>expand[]=subscriptions</c>.</summary>
    public StripeList<Subscription>? Subscriptions { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public bool Livemode { get; init; }
}

public sealed record CustomerInvoiceSettings
{
    public Expandable<PaymentMethod>? DefaultPaymentMethod { get; init; }
}

/// <summary>A Stripe <c>payment_method</c> (only the parts billing needs).</summary>
public sealed record PaymentMethod : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public string? Type { get; init; }
    public PaymentMethodCard? Card { get; init; }
    public string? Customer { get; init; }
    public DateTimeOffset Created { get; init; }
    public bool Livemode { get; init; }
}

public sealed record PaymentMethodCard
{
    public string? Brand { get; init; }
    public string? Last4 { get; init; }
    public int? ExpMonth { get; init; }
    public int? ExpYear { get; init; }
    public string? Country { get; init; }
}
