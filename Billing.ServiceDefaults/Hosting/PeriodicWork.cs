using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Billing.ServiceDefaults.Hosting;

/// <summary>
/// The one loop for work a service repeats in the background (sweeps, reconciliation, cleanup): a
/// subclass says how often, whether it starts at once, whether it is on, and what one round does.
/// </summary>
/// <remarks>
/// Every such job must survive a bad round (Postgres restarting, Stripe down) and stop cleanly with
/// the host; written once here, no job can forget either. A round's failure is logged as a warning
/// and the next round comes as usual: each round starts from what is stored, so it picks up what the
/// failed one left. Rounds never overlap; one that outlasts the interval is followed at once by the next.
/// </remarks>
public abstract class PeriodicWork(ILogger logger) : BackgroundService
{
    /// <summary>The subclass's logger, for what its rounds report.</summary>
    protected ILogger Logger { get; } = logger;

    /// <summary>Time between rounds, read once as the service starts (usually from the subclass's options).</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>True: a round as the service starts, then every <see cref="Interval"/>; false: the first round after one interval.</summary>
    protected abstract bool RunsAtStart { get; }

    /// <summary>Read once as the service starts; when false the loop never runs (the job's rounds can still be called directly).</summary>
    protected virtual bool Enabled => true;

    /// <summary>One round of the work.</summary>
    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled) return;
        var interval = Interval;
        using var timer = new PeriodicTimer(interval);
        try
        {
            if (RunsAtStart) await RunRoundAsync(interval, stoppingToken);
            while (await timer.WaitForNextTickAsync(stoppingToken))
                await RunRoundAsync(interval, stoppingToken);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: whatever the interrupted round threw is the cancellation's doing, not a failure.
        }
    }

    private async Task RunRoundAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        try
        {
            await RunOnceAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            Logger.LogWarning(e, "{Work} round failed; next round in {Interval}", GetType().Name, interval);
        }
    }
}
