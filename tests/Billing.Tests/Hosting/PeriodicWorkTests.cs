using Billing.ServiceDefaults.Hosting;
using Billing.Tests.Messaging;
using Microsoft.Extensions.Logging;

namespace Billing.Tests.Hosting;

public sealed class PeriodicWorkTests
{
    [Fact]
    public async Task A_failed_round_is_logged_and_the_loop_goes_on_and_a_stop_mid_round_ends_it_quietly()
    {
        var logs = new LogCapture();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(logs));
        using var work = new FailsFirstRound(loggers.CreateLogger<FailsFirstRound>());

        await work.StartAsync(CancellationToken.None);
        await work.ThirdRoundStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await work.StopAsync(CancellationToken.None);

        Assert.True(work.ExecuteTask!.IsCompletedSuccessfully);
        // Only the first round's failure: the round the stop interrupted is not one.
        var warning = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(nameof(FailsFirstRound), warning.Message);
        Assert.IsType<InvalidOperationException>(warning.Exception);
    }

    [Fact]
    public async Task A_disabled_work_never_runs_a_round()
    {
        using var loggers = LoggerFactory.Create(_ => { });
        using var work = new FailsFirstRound(loggers.CreateLogger<FailsFirstRound>(), enabled: false);

        await work.StartAsync(CancellationToken.None);
        await work.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, work.Rounds);
    }

    /// <summary>Round 1 throws, round 2 succeeds, round 3 waits for the stop (so the stop lands mid-round).</summary>
    private sealed class FailsFirstRound(ILogger logger, bool enabled = true) : PeriodicWork(logger)
    {
        private int _rounds;

        public int Rounds => Volatile.Read(ref _rounds);
        public TaskCompletionSource ThirdRoundStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override bool Enabled => enabled;
        protected override TimeSpan Interval => TimeSpan.FromMilliseconds(20);
        protected override bool RunsAtStart => true;

        protected override async Task RunOnceAsync(CancellationToken ct)
        {
            switch (Interlocked.Increment(ref _rounds))
            {
                case 1:
                    throw new InvalidOperationException("the first round fails");
                case 2:
                    return;
                default:
                    ThirdRoundStarted.TrySetResult();
                    await Task.Delay(Timeout.Infinite, ct);
                    return;
            }
        }
    }
}
