namespace Billing.Stripe;

public sealed record AccountCreateRequest : StripeRequest
{
    /// <summary>Deprecated by Stripe in favour of <see cref="Controller"/>, still accepted.</summary>
    public AccountType? Type { get; init; }
    public AccountControllerOptions? Controller { get; init; }
    public string? Country { get; init; }
    public string? Email { get; init; }
    public BusinessType? BusinessType { get; init; }
    public AccountCapabilitiesOptions? Capabilities { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record AccountControllerOptions
{
    public AccountDashboardOptions? StripeDashboard { get; init; }
    public AccountFeesOptions? Fees { get; init; }
    public AccountLossesOptions? Losses { get; init; }
    /// <summary><c>stripe</c> or <c>application</c>.</summary>
    public string? RequirementCollection { get; init; }
}

/// <summary><c>express</c>, <c>full</c> or <c>none</c>.</summary>
public sealed record AccountDashboardOptions(string Type);

/// <summary><c>account</c> or <c>application</c>.</summary>
public sealed record AccountFeesOptions(string Payer);

/// <summary><c>stripe</c> or <c>application</c>.</summary>
public sealed record AccountLossesOptions(string Payments);

public sealed record AccountCapabilitiesOptions
{
    public CapabilityRequest? CardPayments { get; init; }
    public CapabilityRequest? Transfers { get; init; }
}

public sealed record CapabilityRequest(bool Requested);

public sealed record AccountLinkCreateRequest : StripeRequest
{
    public required string Account { get; init; }
    public required AccountLinkType Type { get; init; }
    /// <summary>Where Stripe sends the user when the link is expired or already used.</summary>
    public string? RefreshUrl { get; init; }
    public string? ReturnUrl { get; init; }
}

public sealed record TransferCreateRequest : StripeRequest
{
    public required string Currency { get; init; }
    /// <summary>The connected account (<c>acct_...</c>).</summary>
    public required string Destination { get; init; }
    public long? Amount { get; init; }
    public string? Description { get; init; }
    /// <summary>Ties the transfer to a charge (<c>ch_...</c>) so it waits for that charge's funds.</summary>
    public string? SourceTransaction { get; init; }
    public string? TransferGroup { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record TransferListRequest : ListRequest
{
    public string? Destination { get; init; }
    public string? TransferGroup { get; init; }
    public DateRangeFilter? Created { get; init; }
}
