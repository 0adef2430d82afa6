namespace Billing.Stripe;

/// <summary>A Stripe Connect <c>account</c>.</summary>
public sealed record Account : StripeEntity, IHasId
{
    public required string Id { get; init; }
    /// <summary><c>express</c>, <c>standard</c>, <c>custom</c> or <c>none</c> (deprecated in favour of <see cref="Controller"/>).</summary>
    public string? Type { get; init; }
    public bool ChargesEnabled { get; init; }
    public bool PayoutsEnabled { get; init; }
    public bool DetailsSubmitted { get; init; }
    public string? Email { get; init; }
    public string? Country { get; init; }
    public string? DefaultCurrency { get; init; }
    public string? BusinessType { get; init; }
    /// <summary>Capability name to <c>active</c>, <c>inactive</c> or <c>pending</c>.</summary>
    public Dictionary<string, string> Capabilities { get; init; } = [];
    public AccountRequirements? Requirements { get; init; }
    public AccountController? Controller { get; init; }
    public DateTimeOffset? Created { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
}

public sealed record AccountRequirements
{
    public List<string> CurrentlyDue { get; init; } = [];
    public List<string> EventuallyDue { get; init; } = [];
    public List<string> PastDue { get; init; } = [];
    public List<string> PendingVerification { get; init; } = [];
    public string? DisabledReason { get; init; }
    public DateTimeOffset? CurrentDeadline { get; init; }
}

public sealed record AccountController
{
    public string? Type { get; init; }
    public bool? IsController { get; init; }
    public string? RequirementCollection { get; init; }
    public AccountControllerDashboard? StripeDashboard { get; init; }
    public AccountControllerFees? Fees { get; init; }
    public AccountControllerLosses? Losses { get; init; }
}

public sealed record AccountControllerDashboard
{
    /// <summary><c>express</c>, <c>full</c> or <c>none</c>.</summary>
    public string? Type { get; init; }
}

public sealed record AccountControllerFees
{
    public string? Payer { get; init; }
}

public sealed record AccountControllerLosses
{
    public string? Payments { get; init; }
}

/// <summary>A single-use onboarding or update link (<c>account_link</c>; it has no id).</summary>
public sealed record AccountLink : StripeEntity
{
    public string Url { get; init; } = "";
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}
