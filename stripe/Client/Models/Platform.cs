namespace Billing.Stripe;

/// <summary>A Stripe <c>webhook_endpoint</c>.</summary>
public sealed record WebhookEndpoint : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public string Url { get; init; } = "";
    public List<string> EnabledEvents { get; init; } = [];
    /// <summary>The signing secret (<c>whsec_</c>); only in the answer to create.</summary>
    public string? Secret { get; init; }
    /// <summary><c>enabled</c> or <c>disabled</c>.</summary>
    public string? Status { get; init; }
    public string? ApiVersion { get; init; }
    public string? Application { get; init; }
    public string? Description { get; init; }
    public DateTimeOffset Created { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public bool Livemode { get; init; }

    /// <summary>Leaves the signing secret out, so logging the endpoint cannot leak it.</summary>
    public override string ToString() =>
        $"WebhookEndpoint {{ Id = {Id}, Url = {Url}, Status = {Status}, Secret = {(Secret is null ? "null" : "***")} }}";
}

/// <summary>A Stripe <c>test_helpers.test_clock</c>.</summary>
public sealed record TestClock : StripeEntity, IHasId
{
    public required string Id { get; init; }
    public DateTimeOffset FrozenTime { get; init; }
    /// <summary><c>ready</c>, <c>advancing</c> or <c>internal_failure</c>.</summary>
    public string Status { get; init; } = "";
    public TestClockStatusDetails? StatusDetails { get; init; }
    public string? Name { get; init; }
    public DateTimeOffset? DeletesAfter { get; init; }
    public DateTimeOffset Created { get; init; }
    public bool Livemode { get; init; }
}

public sealed record TestClockStatusDetails
{
    public TestClockAdvancing? Advancing { get; init; }
}

public sealed record TestClockAdvancing
{
    public DateTimeOffset TargetFrozenTime { get; init; }
}

/// <summary>A recorded <c>billing.meter_event</c> (it has no id; <see cref="Identifier"/> dedupes).</summary>
public sealed record MeterEvent : StripeEntity
{
    public string EventName { get; init; } = "";
    public string Identifier { get; init; } = "";
    public Dictionary<string, string> Payload { get; init; } = [];
    public DateTimeOffset Timestamp { get; init; }
    public DateTimeOffset Created { get; init; }
    public bool Livemode { get; init; }
}
