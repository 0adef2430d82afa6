using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Billing.ServiceDefaults.Telemetry;

/// <summary>Our own trace source and meter; everything of ours that is measured goes through these.</summary>
public static class BillingTelemetry
{
    public const string Name = "Billing";
    public static readonly ActivitySource ActivitySource = new(Name);
    public static readonly Meter Meter = new(Name);
}
