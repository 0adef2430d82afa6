using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Billing.Tests.Infrastructure;

/// <summary>Keeps every measurement of one instrument, with its tags, while alive.</summary>
public sealed class MeasurementRecorder<T> : IDisposable where T : struct
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(T Value, Dictionary<string, object?> Tags)> _measurements = new();

    /// <param name="instrument">
    /// Passed in, so that a static instrument is created before the listener starts: created inside
    /// the listener's callback, its half-initialized field would read null and never match.
    /// </param>
    public MeasurementRecorder(Instrument<T> instrument)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published == instrument) listener.EnableMeasurementEvents(published);
        };
        _listener.SetMeasurementEventCallback<T>((_, value, tags, _) =>
            _measurements.Enqueue((value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        _listener.Start();
    }

    public IReadOnlyList<(T Value, Dictionary<string, object?> Tags)> Measurements => _measurements.ToArray();

    public IReadOnlyList<T> Values => _measurements.Select(m => m.Value).ToArray();

    public void Dispose() => _listener.Dispose();
}
