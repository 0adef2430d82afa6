using System.ComponentModel.DataAnnotations;

namespace Billing.ServiceDefaults.Messaging;

/// <summary>Tuning of the bus, the outbox relay and the inbox, from the <c>Messaging</c> section. The defaults suit production.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>Redeliveries of a failing message before it goes to the endpoint's <c>_error</c> queue.</summary>
    [Range(0, 20)] public int RetryLimit { get; set; } = 5;
    public TimeSpan RetryMinInterval { get; set; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan RetryMaxInterval { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan RetryIntervalDelta { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Rows the relay claims per transaction.</summary>
    [Range(1, 1000)] public int OutboxBatchSize { get; set; } = 100;

    /// <summary>
    /// Safety net only: commits wake the relay at once (in-process signal and Postgres NOTIFY),
    /// so this poll matters only if both signals were lost.
    /// </summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one publish may wait for the broker's confirm before the relay backs off.</summary>
    public TimeSpan OutboxPublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest pause between relay attempts while the broker is unreachable (doubles up to this).</summary>
    public TimeSpan OutboxMaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Published outbox rows are kept this long, for audit and replay, then deleted.</summary>
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Inbox rows are kept this long; a duplicate arriving later than this would be processed
    /// again, so it must exceed any redelivery or replay window.
    /// </summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// When true, start-up waits until the bus has connected. Off by default, so a service starts
    /// while the broker is down (the outbox holds what it publishes). Test hosts turn it on: a
    /// host stopped while its bus is still starting can leave consumers attached to shared queues.
    /// </summary>
    public bool WaitUntilBusStarted { get; set; }

    /// <summary>
    /// How long a start waits for the broker to accept a connection before the bus starts (0: not at all), so that a
    /// service started alongside the broker connects as soon as it is up (<see cref="BrokerStartWait"/>).
    /// </summary>
    public TimeSpan BrokerStartWait { get; set; } = TimeSpan.FromSeconds(30);
}
