namespace Billing.Stripe;

public sealed record EventListRequest : ListRequest
{
    /// <summary>An event type, or a group such as <c>invoice.*</c>. Not together with <see cref="Types"/>.</summary>
    public string? Type { get; init; }
    /// <summary>Up to 20 event types.</summary>
    public List<string>? Types { get; init; }
    /// <summary>False lists events whose delivery to some endpoint failed.</summary>
    public bool? DeliverySuccess { get; init; }
    public DateRangeFilter? Created { get; init; }
}

public sealed record WebhookEndpointCreateRequest : StripeRequest
{
    public required string Url { get; init; }
    /// <summary>Event types, or <c>*</c> for all.</summary>
    public required List<string> EnabledEvents { get; init; }
    public string? Description { get; init; }
    /// <summary>True receives events from connected accounts instead of the platform's own.</summary>
    public bool? Connect { get; init; }
    public string? ApiVersion { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record WebhookEndpointUpdateRequest : StripeRequest
{
    public string? Url { get; init; }
    public List<string>? EnabledEvents { get; init; }
    public string? Description { get; init; }
    public bool? Disabled { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record TestClockCreateRequest : StripeRequest
{
    public required DateTimeOffset FrozenTime { get; init; }
    public string? Name { get; init; }
}

public sealed record TestClockAdvanceRequest : StripeRequest
{
    /// <summary>After the clock's current time; Stripe limits how far ahead.</summary>
    public required DateTimeOffset FrozenTime { get; init; }
}

public sealed record MeterEventCreateRequest : StripeRequest
{
    /// <summary>The event name of a billing meter.</summary>
    public required string EventName { get; init; }
    /// <summary>Must hold the customer key (default <c>stripe_customer_id</c>) and the value key (default <c>value</c>).</summary>
    public required Dictionary<string, string> Payload { get; init; }
    /// <summary>Unique over at least 24 hours; Stripe generates one when omitted. Set it to make ingestion idempotent.</summary>
    public string? Identifier { get; init; }
    /// <summary>Within the past 35 days and up to 5 minutes ahead; now when omitted.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}
