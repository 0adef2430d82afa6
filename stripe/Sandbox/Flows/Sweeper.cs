using Billing.StripeSandbox.State;

namespace Billing.StripeSandbox.Flows;

/// <summary>Runs wall-clock time-driven changes (session expiry, renewals of clock-less subscriptions).</summary>
public sealed class Sweeper(SandboxState state, SandboxOptions options, ILogger<Sweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                lock (state.Gate) Scheduler.RunUntil(state, null, state.RealNow);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Sandbox sweep failed");
            }
        }
    }
}
