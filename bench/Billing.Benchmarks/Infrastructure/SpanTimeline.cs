using System.Collections.Concurrent;
using System.Diagnostics;

namespace Billing.Benchmarks.Infrastructure;

/// <summary>
/// Where a call's time goes: while <see cref="Recording"/>, every span of every host in this process (ASP.NET Core,
/// YARP, HttpClient, Npgsql) is kept by trace; <see cref="PrintMedianTrace"/> prints the trace whose first span is the
/// median one, as a timeline. Listening costs CPU of its own, so a run with it shows slower calls than one without.
/// </summary>
public sealed class SpanTimeline : IDisposable
{
    private sealed record Span(DateTime Start, TimeSpan Duration, string Name);

    private readonly ConcurrentDictionary<ActivityTraceId, ConcurrentQueue<Span>> _traces = new();
    private readonly ActivityListener _listener;

    public SpanTimeline()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (Recording) _traces.GetOrAdd(activity.TraceId, _ => new()).Enqueue(new(activity.StartTimeUtc, activity.Duration, Describe(activity)));
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public bool Recording { get; set; }

    public void PrintMedianTrace()
    {
        var traces = _traces.Values.Select(t => t.OrderBy(s => s.Start).ToList()).Where(t => t.Count > 1).OrderBy(t => t[0].Duration).ToList();
        if (traces.Count == 0) return;
        var median = traces[traces.Count / 2];
        Console.WriteLine($"the median call's spans ({traces.Count} calls recorded; start offset, duration):");
        foreach (var span in median)
            Console.WriteLine($"  +{(span.Start - median[0].Start).TotalMilliseconds,6:0.00} ms {span.Duration.TotalMilliseconds,6:0.00} ms  {span.Name}");
    }

    private static string Describe(Activity activity)
    {
        var detail = (activity.GetTagItem("db.query.text") ?? activity.GetTagItem("url.full") ?? activity.GetTagItem("url.path"))?.ToString() ?? "";
        detail = detail.ReplaceLineEndings(" ");
        return $"{activity.Source.Name} {activity.DisplayName} {(detail.Length > 90 ? detail[..90] + "…" : detail)}";
    }

    public void Dispose() => _listener.Dispose();
}
