using System.Text.Json.Serialization;

namespace Billing.Stripe;

/// <summary>
/// Base of the request records. Property names become Stripe's snake_case parameters;
/// <see cref="ExtraParams"/> reaches a parameter the record does not model yet
/// (e.g. <c>["trial_end"] = "now"</c>, or <c>["pause_collection"] = ""</c> to clear one).
/// </summary>
public abstract record StripeRequest
{
    /// <summary>Parameters sent as given, by their Stripe name; values may nest (dictionaries, lists).</summary>
    [JsonExtensionData]
    public Dictionary<string, object?>? ExtraParams { get; init; }
}
