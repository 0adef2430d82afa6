using Billing.Catalog.Model;
using Billing.ServiceDefaults.Api;

namespace Billing.Catalog.Apis;

/// <summary>The body of <c>POST /v1/{appId}/billing/products</c>.</summary>
public sealed record CreateProductRequest(
    string? Name, string? Description, long? PriceCents, string? Currency, IReadOnlyDictionary<string, string>? Metadata)
{
    public Product ToProduct(string appId)
    {
        new Validation().Text(Name, "name", 200).Text(Description, "description", 1000, required: false)
            .Money(PriceCents, "priceCents").Currency(Currency ?? "usd").Metadata(Metadata).ThrowIfInvalid();
        var now = DateTimeOffset.UtcNow;
        var product = new Product
        {
            Id = Ids.New("prod"), AppId = appId, Name = Name!.Trim(), Description = Description, Metadata = Metadata?.ToDictionary() ?? [],
            CreatedAt = now, UpdatedAt = now, SyncRequestedAt = now,
        };
        product.SetPrice(null, PriceCents!.Value, Currency ?? "usd", now);
        return product;
    }
}

/// <summary>The body of <c>PUT /v1/{appId}/billing/products/{productId}</c>: what is given changes, the rest stays.</summary>
public sealed record UpdateProductRequest(
    string? Name, string? Description, long? PriceCents, string? Currency, IReadOnlyDictionary<string, string>? Metadata)
{
    /// <summary>Applies the request: whether anything changed, and whether Stripe must follow (name, description, price).</summary>
    public (bool Sync, bool Changed) ApplyTo(Product product, DateTimeOffset now)
    {
        var validation = new Validation().Text(Name, "name", 200, required: Name is not null).Text(Description, "description", 1000, required: false)
            .Currency(Currency ?? product.CurrentPrice?.Currency ?? "usd").Metadata(Metadata);
        if (PriceCents is not null) validation.Money(PriceCents, "priceCents");
        validation.ThrowIfInvalid();

        var stripeChange = false;
        if (Name is not null && Name.Trim() != product.Name) { product.Name = Name.Trim(); stripeChange = true; }
        if (Description is not null && Description != product.Description) { product.Description = Description; stripeChange = true; }
        if (PriceCents is not null || Currency is not null)
        {
            var current = product.CurrentPrice;
            stripeChange |= product.SetPrice(null, PriceCents ?? current?.AmountCents ?? 0, Currency ?? current?.Currency ?? "usd", now);
        }
        var changed = stripeChange;
        if (Metadata is not null && !UpdatePlanRequest.SameMap(Metadata, product.Metadata)) { product.Metadata = Metadata.ToDictionary(); changed = true; }
        return (stripeChange, changed);
    }
}
