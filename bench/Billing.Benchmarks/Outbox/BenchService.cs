using Billing.ServiceDefaults.Security;
using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Billing.Benchmarks.Outbox;

/// <summary>A service wired exactly like the real ones (defaults, its database, the bus with outbox and inbox).</summary>
public static class BenchService
{
    public static WebApplication Build(string database, string rabbitmq, Arrivals arrivals)
    {
        var builder = WebApplication.CreateBuilder(
        [
            $"--ConnectionStrings:{OutboxLatencyBenchmark.Schema}db={database}",
            $"--ConnectionStrings:rabbitmq={rabbitmq}",
            "--urls=http://127.0.0.1:0",
            // Every service verifies callers; nothing calls this one over HTTP, but it needs a key to start.
            $"--Identity:PublicKey={IdentityToken.NewKeyPair().PublicKey}",
            "--Messaging:WaitUntilBusStarted=true",
        ]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddServiceDefaults("bench");
        builder.AddServiceDatabase<BenchDbContext>(OutboxLatencyBenchmark.Schema);
        builder.AddServiceBus<BenchDbContext>(bus => bus.AddConsumer<BenchPingConsumer>());
        builder.Services.AddSingleton(arrivals);
        return builder.Build();
    }
}
