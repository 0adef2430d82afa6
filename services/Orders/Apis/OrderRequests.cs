using Billing.Orders.Customers;
using Billing.ServiceDefaults.Api;

namespace Billing.Orders.Apis;

/// <summary>
/// Butterbase's purchase of a one-time product; <c>priceId</c> (ours, <c>price_…</c>) may name it instead of
/// <c>productId</c>, as BillStack's <c>checkout</c> with <c>mode=payment</c> does.
/// </summary>
public sealed record PurchaseRequest(
    string? ProductId, string? PriceId, string? CustomerId, string? CustomerExternalId, string? Email, int? Quantity,
    string? SuccessUrl, string? CancelUrl, string? CaptureMethod, Dictionary<string, string>? Metadata)
{
    public static readonly string[] ReservedMetadata = ["app_id", "order_id", "customer_id", "order_kind"];

    public CustomerReference Customer => new(CustomerId, CustomerExternalId, Email);

    public void Validate() =>
        Customer.Validate(new Validation())
            .Check(ProductId is not null || PriceId is not null, "productId", "productId is required.")
            .Text(ProductId, "productId", 100, required: false)
            .Text(PriceId, "priceId", 100, required: false)
            .Check(Quantity is null or (>= 1 and <= 10_000), "quantity", "quantity must be from 1 to 10000.")
            .Text(SuccessUrl, "successUrl", 2048)
            .Text(CancelUrl, "cancelUrl", 2048)
            .Check(CaptureMethod is null or "automatic" or "manual", "captureMethod", "captureMethod must be automatic or manual.")
            .Metadata(Metadata)
            .Check(Metadata is null || Metadata.Count <= 46, "metadata", "metadata has at most 46 keys (4 are ours).")
            .Check(Metadata is null || !Metadata.Keys.Any(ReservedMetadata.Contains), "metadata",
                $"metadata keys {string.Join(", ", ReservedMetadata)} are reserved.")
            .ThrowIfInvalid();
}

/// <summary>Capture of a held authorization: all of it, or <c>amountCents</c> of it (the rest is released).</summary>
public sealed record CaptureRequest(long? AmountCents)
{
    public void Validate() => new Validation()
        .Check(AmountCents is null or >= 1, "amountCents", "amountCents must be at least 1 when given.")
        .ThrowIfInvalid();
}
