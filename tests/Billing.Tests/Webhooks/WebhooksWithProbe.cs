using Billing.Tests.Infrastructure;

namespace Billing.Tests.Webhooks;

/// <summary>
/// For a test class: the Webhooks service (reconciler off) and a probe consuming every contract it
/// publishes, started before each test and stopped after it, and an app of the test's own.
/// </summary>
public abstract class WebhooksWithProbe(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    protected InfrastructureFixture Infrastructure { get; } = infrastructure;
    protected TestService Webhooks { get; private set; } = null!;
    protected StripeEventProbe Probe { get; private set; } = null!;
    protected string App { get; } = TestApps.NewAppId();

    public virtual async Task InitializeAsync()
    {
        // The probe first: its queues are bound before the service publishes anything.
        Probe = await StripeEventProbe.StartAsync(Infrastructure);
        Webhooks = await WebhooksTestHost.StartAsync(Infrastructure);
    }

    public virtual async Task DisposeAsync()
    {
        await Webhooks.DisposeAsync();
        await Probe.DisposeAsync();
    }
}
