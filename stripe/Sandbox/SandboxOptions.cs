namespace Billing.StripeSandbox;

/// <summary>Configuration section <c>Sandbox</c>.</summary>
public sealed class SandboxOptions
{
    /// <summary>Base of hosted page URLs (checkout, portal, onboarding); default: the address the caller used.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Accepted secret keys; empty means any <c>sk_test_...</c> key.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Endpoints known from configuration (<c>Sandbox:WebhookEndpoints:N:Url|Secret|Connect</c>).</summary>
    public List<WebhookEndpointOptions> WebhookEndpoints { get; set; } = [];

    public WebhookDeliveryOptions Delivery { get; set; } = new();

    /// <summary>Chaos switches for webhook delivery (also settable at run time through a test helper).</summary>
    public ChaosOptions Chaos { get; set; } = new();

    /// <summary>How often the sweeper expires sessions and renews wall-clock subscriptions.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class WebhookEndpointOptions
{
    public string Url { get; set; } = "";
    public string Secret { get; set; } = "";
    /// <summary>True: receives connected-account events; false: platform events.</summary>
    public bool Connect { get; set; }
    /// <summary>Event types to send; empty or <c>*</c> means all.</summary>
    public List<string> EnabledEvents { get; set; } = [];
}

public sealed class WebhookDeliveryOptions
{
    /// <summary>Total attempts per event and endpoint (Stripe test mode: the first plus three retries).</summary>
    public int MaxAttempts { get; set; } = 4;
    /// <summary>Wait before the first retry; doubles after each failure.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Deliveries sent at the same time.</summary>
    public int Concurrency { get; set; } = 8;
}

public sealed class ChaosOptions
{
    /// <summary>Send every event twice.</summary>
    public bool Duplicate { get; set; }
    /// <summary>Shuffle the order of deliveries within windows of this many (0 or 1: keep order).</summary>
    public int ShuffleWindow { get; set; }
    /// <summary>Hold every delivery this long before sending.</summary>
    public int DelayMs { get; set; }
    /// <summary>Silently drop this percentage of deliveries (0-100).</summary>
    public int DropPercent { get; set; }

    public ChaosOptions Copy() => (ChaosOptions)MemberwiseClone();
}
