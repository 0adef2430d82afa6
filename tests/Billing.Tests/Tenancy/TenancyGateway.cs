using Billing.Tests.Gateway;
using Billing.Tests.Infrastructure;

namespace Billing.Tests.Tenancy;

/// <summary>A gateway in front of echo servers on the real Postgres and Redis, for the management API tests.</summary>
public sealed class TenancyGateway(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    public EchoBackends Backends { get; private set; } = null!;
    public TestGateway Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Backends = await EchoBackends.StartAsync();
        Gateway = await TestGateway.StartAsync(infrastructure, Backends.Destinations());
    }

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Backends.DisposeAsync();
    }
}
