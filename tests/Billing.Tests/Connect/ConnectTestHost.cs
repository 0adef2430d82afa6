using Billing.Connect;
using Billing.Contracts.Wallet;
using Billing.Tests.Infrastructure;
using Billing.Tests.Messaging;
using Billing.Tests.Webhooks;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Connect;

/// <summary>The Connect service in tests: Stripe is the sandbox, the ledger's clock is the test's, fast retries.</summary>
public static class ConnectTestHost
{
    public static Dictionary<string, string?> Settings(string stripeApiBase) => new(MessagingTestHost.FastSettings)
    {
        ["Stripe:SecretKey"] = WebhooksTestHost.StripeKey,
        ["Stripe:ApiBase"] = stripeApiBase,
        ["Stripe:MaxNetworkRetries"] = "1",
        ["Connect:PayoutSweepInterval"] = "00:00:00.200",
    };

    public static Task<TestService> StartAsync(InfrastructureFixture infrastructure, string stripeApiBase, TimeProvider clock,
        Action<IServiceCollection>? services = null, IDictionary<string, string?>? settings = null)
    {
        var all = Settings(stripeApiBase);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return TestService.StartAsync(args => ConnectService.Build(args, s =>
        {
            s.AddSingleton(new Billing.Connect.Ledger.LedgerClock(clock));
            services?.Invoke(s);
        }), infrastructure, ConnectService.Name, all);
    }

    /// <summary>A wallet charge with a creator share, as Orders publishes it; returns the charge id.</summary>
    public static async Task<string> PublishChargeAsync(IServiceProvider services, string appId, string creatorId, long creatorCents)
    {
        var chargeId = "wtx_" + Guid.NewGuid().ToString("N");
        var fee = creatorCents / 4;
        await services.GetRequiredService<IBus>().Publish(new WalletCharged(Guid.NewGuid(), DateTimeOffset.UtcNow, appId, chargeId,
            "cus_test", creatorId, creatorCents + fee, fee, creatorCents, "usd", "A sale"));
        return chargeId;
    }

    public static async Task PublishRefundAsync(IServiceProvider services, string appId, string creatorId, string chargeId, long creatorCents)
    {
        await services.GetRequiredService<IBus>().Publish(new WalletChargeRefunded(Guid.NewGuid(), DateTimeOffset.UtcNow, appId,
            "wtx_" + Guid.NewGuid().ToString("N"), chargeId, "cus_test", creatorId, creatorCents, 0, creatorCents, "usd"));
    }
}
