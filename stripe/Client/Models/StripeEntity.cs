using System.Text.Json;
using System.Text.Json.Serialization;

namespace Billing.Stripe;

/// <summary>
/// Base of every response object. Fields this client does not model are kept in
/// <see cref="ExtensionData"/> instead of failing, so Stripe adding a field never breaks a caller.
/// </summary>
public abstract record StripeEntity
{
    /// <summary>Stripe's type name, e.g. <c>customer</c>, <c>checkout.session</c>.</summary>
    public string Object { get; init; } = "";

    /// <summary>Fields sent by Stripe that this model does not declare.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; init; }
}

/// <summary>The answer to a DELETE: <c>{id, object, deleted: true}</c>.</summary>
public sealed record DeletedObject : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public bool Deleted { get; init; }
}

/// <summary>A postal address.</summary>
public sealed record Address
{
    public string? City { get; init; }
    /// <summary>Two-letter ISO country code.</summary>
    public string? Country { get; init; }
    public string? Line1 { get; init; }
    public string? Line2 { get; init; }
    public string? PostalCode { get; init; }
    public string? State { get; init; }
}
