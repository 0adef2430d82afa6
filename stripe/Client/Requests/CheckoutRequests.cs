namespace Billing.Stripe;

public sealed record CheckoutSessionCreateRequest : StripeRequest
{
    public required CheckoutMode Mode { get; init; }
    public List<CheckoutLineItemOptions>? LineItems { get; init; }
    /// <summary>May contain the literal <c>{CHECKOUT_SESSION_ID}</c>; it is sent verbatim.</summary>
    public string? SuccessUrl { get; init; }
    public string? CancelUrl { get; init; }
    public string? ReturnUrl { get; init; }
    /// <summary>Current API: <c>hosted_page</c>, <c>embedded_page</c>, ... (older versions: <c>hosted</c>, <c>embedded</c>).</summary>
    public string? UiMode { get; init; }
    public string? Customer { get; init; }
    public string? CustomerEmail { get; init; }
    public CustomerCreation? CustomerCreation { get; init; }
    /// <summary>Up to 200 characters, echoed back for reconciliation.</summary>
    public string? ClientReferenceId { get; init; }
    public CheckoutSubscriptionData? SubscriptionData { get; init; }
    public CheckoutPaymentIntentData? PaymentIntentData { get; init; }
    /// <summary>30 minutes to 24 hours ahead.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    public bool? AllowPromotionCodes { get; init; }
    public AutomaticTaxOptions? AutomaticTax { get; init; }
    public string? Locale { get; init; }
    public List<string>? PaymentMethodTypes { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record CheckoutLineItemOptions
{
    public string? Price { get; init; }
    public CheckoutPriceData? PriceData { get; init; }
    public long? Quantity { get; init; }
}

public sealed record CheckoutPriceData
{
    public required string Currency { get; init; }
    public long? UnitAmount { get; init; }
    public string? Product { get; init; }
    public CheckoutProductData? ProductData { get; init; }
    public RecurringOptions? Recurring { get; init; }
}

public sealed record CheckoutProductData
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record CheckoutSubscriptionData
{
    public int? TrialPeriodDays { get; init; }
    public DateTimeOffset? TrialEnd { get; init; }
    public TrialSettingsOptions? TrialSettings { get; init; }
    public string? Description { get; init; }
    public decimal? ApplicationFeePercent { get; init; }
    public TransferDataOptions? TransferData { get; init; }
    public string? OnBehalfOf { get; init; }
    public DateTimeOffset? BillingCycleAnchor { get; init; }
    public ProrationBehavior? ProrationBehavior { get; init; }
    /// <summary>Copied onto the subscription the session creates.</summary>
    public Dictionary<string, string?>? Metadata { get; init; }
}

public sealed record TrialSettingsOptions
{
    public required TrialEndBehaviorOptions EndBehavior { get; init; }
}

public sealed record TrialEndBehaviorOptions
{
    public required MissingPaymentMethodBehavior MissingPaymentMethod { get; init; }
}

public sealed record CheckoutPaymentIntentData
{
    public TransferDataOptions? TransferData { get; init; }
    public long? ApplicationFeeAmount { get; init; }
    public string? OnBehalfOf { get; init; }
    public CaptureMethod? CaptureMethod { get; init; }
    public SetupFutureUsage? SetupFutureUsage { get; init; }
    public string? TransferGroup { get; init; }
    public string? Description { get; init; }
    /// <summary>Copied onto the payment intent the session creates.</summary>
    public Dictionary<string, string?>? Metadata { get; init; }
}

/// <summary>Where a destination charge's funds go.</summary>
public sealed record TransferDataOptions
{
    /// <summary>The connected account (<c>acct_...</c>).</summary>
    public required string Destination { get; init; }
    /// <summary>Payment mode only: minor units to transfer.</summary>
    public long? Amount { get; init; }
    /// <summary>Subscription mode only.</summary>
    public decimal? AmountPercent { get; init; }
}

public sealed record AutomaticTaxOptions(bool Enabled);

public sealed record CheckoutSessionListRequest : ListRequest
{
    public string? Customer { get; init; }
    public CheckoutSessionStatus? Status { get; init; }
    public string? Subscription { get; init; }
    public string? PaymentIntent { get; init; }
    public CheckoutCustomerDetailsFilter? CustomerDetails { get; init; }
    public DateRangeFilter? Created { get; init; }
}

public sealed record CheckoutCustomerDetailsFilter(string Email);

public sealed record BillingPortalSessionCreateRequest : StripeRequest
{
    public string? Customer { get; init; }
    /// <summary>Current API alternative to <see cref="Customer"/>.</summary>
    public string? CustomerAccount { get; init; }
    public string? ReturnUrl { get; init; }
    /// <summary>A portal configuration (<c>bpc_...</c>); the default one when omitted.</summary>
    public string? Configuration { get; init; }
    public string? Locale { get; init; }
    public PortalFlowData? FlowData { get; init; }
}

/// <summary>Opens the portal straight into one flow, e.g. cancelling one subscription.</summary>
public sealed record PortalFlowData
{
    public required PortalFlowType Type { get; init; }
    public PortalFlowSubscription? SubscriptionCancel { get; init; }
    public PortalFlowSubscription? SubscriptionUpdate { get; init; }
    public PortalFlowSubscription? SubscriptionUpdateConfirm { get; init; }
    public PortalFlowAfterCompletion? AfterCompletion { get; init; }
}

public sealed record PortalFlowSubscription
{
    public required string Subscription { get; init; }
    public List<SubscriptionItemOptions>? Items { get; init; }
}

public sealed record PortalFlowAfterCompletion
{
    /// <summary><c>redirect</c>, <c>hosted_confirmation</c> or <c>portal_homepage</c>.</summary>
    public required string Type { get; init; }
    public PortalFlowRedirect? Redirect { get; init; }
}

public sealed record PortalFlowRedirect(string ReturnUrl);
