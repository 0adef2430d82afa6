namespace Billing.Stripe;

public sealed partial class StripeClient
{
    public CustomerService Customers { get; private set; } = null!;
    public ProductService Products { get; private set; } = null!;
    public PriceService Prices { get; private set; } = null!;
    public CheckoutSessionService CheckoutSessions { get; private set; } = null!;
    public SubscriptionService Subscriptions { get; private set; } = null!;
    public InvoiceService Invoices { get; private set; } = null!;
    public BillingPortalSessionService BillingPortalSessions { get; private set; } = null!;
    public AccountService Accounts { get; private set; } = null!;
    public AccountLinkService AccountLinks { get; private set; } = null!;
    public RefundService Refunds { get; private set; } = null!;
    public TransferService Transfers { get; private set; } = null!;
    public PaymentIntentService PaymentIntents { get; private set; } = null!;
    public EventService Events { get; private set; } = null!;
    public WebhookEndpointService WebhookEndpoints { get; private set; } = null!;
    public TestClockService TestClocks { get; private set; } = null!;
    public MeterEventService MeterEvents { get; private set; } = null!;

    private void InitServices()
    {
        Customers = new(this);
        Products = new(this);
        Prices = new(this);
        CheckoutSessions = new(this);
        Subscriptions = new(this);
        Invoices = new(this);
        BillingPortalSessions = new(this);
        Accounts = new(this);
        AccountLinks = new(this);
        Refunds = new(this);
        Transfers = new(this);
        PaymentIntents = new(this);
        Events = new(this);
        WebhookEndpoints = new(this);
        TestClocks = new(this);
        MeterEvents = new(this);
    }
}
