using System.ComponentModel.DataAnnotations;

namespace Billing.Connect;

/// <summary>Settings of the Connect service (section <c>Connect</c>), all optional.</summary>
public sealed class ConnectOptions
{
    public const string Section = "Connect";

    /// <summary>The one payout currency (API.md: USD).</summary>
    public const string Currency = "usd";

    /// <summary>How long a creator's earning stays pending (so a refund can still claw it back) before it can be paid.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan EarningsHoldingPeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>No payout below this (API.md: 1000 cents).</summary>
    [Range(1, 100_000_000)]
    public long MinimumPayoutCents { get; set; } = 1000;

    /// <summary>How often pending payouts (a crash or Stripe outage between our row and the transfer's result) are finished.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan PayoutSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A payout pending longer than this is taken over by the sweeper (the request that made it has died or given up).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PayoutTakeOverAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the scheduler looks for weekly and monthly creators to pay; zero turns the loop off (runs can still be started in code).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SchedulerInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Creators paid concurrently by one scheduler run.</summary>
    [Range(1, 64)]
    public int SchedulerConcurrency { get; set; } = 8;
}
