using System.ComponentModel.DataAnnotations;

namespace Billing.Gateway;

/// <summary>The gateway's own settings, section <c>Gateway</c> (environment <c>Gateway__ReadTimeout=00:00:05</c>).</summary>
public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    /// <summary>GET, HEAD and OPTIONS calls (and the OpenAPI documents): reads should be quick, and a caller stuck on one is better told early.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Every other method: writes may wait on Stripe, which can take a while.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often each destination's <c>/health</c> is probed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Failed probes in a row that make a destination unhealthy. YARP reports a destination healthy
    /// while its failures are below this, so above 1 a dead service shows healthy until its second probe.
    /// </summary>
    [Range(1, 10)]
    public int HealthCheckFailureThreshold { get; set; } = 1;

    /// <summary>How long one probe may take before it counts as a failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:10:00")]
    public TimeSpan HealthCheckTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
