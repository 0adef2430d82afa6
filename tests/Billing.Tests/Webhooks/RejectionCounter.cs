using Billing.Tests.Infrastructure;
using Billing.Webhooks.Intake;

namespace Billing.Tests.Webhooks;

/// <summary>Listens to <c>billing.webhooks.rejected</c> while alive and keeps the reasons it counted.</summary>
public sealed class RejectionCounter : IDisposable
{
    private readonly MeasurementRecorder<long> _rejected = new(WebhookRejections.Rejected);

    public IReadOnlyCollection<string> Reasons =>
        _rejected.Measurements.Select(m => m.Tags.GetValueOrDefault("reason")?.ToString() ?? "").ToArray();

    public void Dispose() => _rejected.Dispose();
}
