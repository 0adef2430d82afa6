using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Billing.Webhooks.Intake;

namespace Billing.Tests.Webhooks;

/// <summary>Listens to <c>billing.webhooks.rejected</c> while alive and keeps the reasons it counted.</summary>
public sealed class RejectionCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentBag<string> _reasons = [];

    public RejectionCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument == WebhookRejections.Rejected) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "reason") _reasons.Add(tag.Value?.ToString() ?? "");
        });
        _listener.Start();
    }

    public IReadOnlyCollection<string> Reasons => _reasons;

    public void Dispose() => _listener.Dispose();
}
