namespace Billing.Stripe;

public record CustomerUpdateRequest : StripeRequest
{
    public string? Email { get; init; }
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? Description { get; init; }
    public AddressOptions? Address { get; init; }
    /// <summary>A payment method to attach to the customer.</summary>
    public string? PaymentMethod { get; init; }
    public CustomerInvoiceSettingsOptions? InvoiceSettings { get; init; }
    public TaxExempt? TaxExempt { get; init; }
    /// <summary>A null value deletes that key; an empty dictionary deletes all keys.</summary>
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record CustomerCreateRequest : CustomerUpdateRequest
{
    /// <summary>Attaches the customer to a test clock (create only).</summary>
    public string? TestClock { get; init; }
}

public sealed record CustomerInvoiceSettingsOptions
{
    public string? DefaultPaymentMethod { get; init; }
}

public sealed record AddressOptions
{
    public string? City { get; init; }
    public string? Country { get; init; }
    public string? Line1 { get; init; }
    public string? Line2 { get; init; }
    public string? PostalCode { get; init; }
    public string? State { get; init; }
}

public sealed record CustomerListRequest : ListRequest
{
    public string? Email { get; init; }
    public DateRangeFilter? Created { get; init; }
    public string? TestClock { get; init; }
}
