using Billing.Connect.Accounts;
using Billing.Connect.Apis;
using Billing.Connect.Creators;
using Billing.Connect.Infrastructure;
using Billing.Connect.IntegrationEvents;
using Billing.Connect.Ledger;
using Billing.Connect.Payouts;
using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;
using Billing.ServiceDefaults.Messaging;
using Billing.Stripe;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Billing.Connect;

/// <summary>Connect Express accounts and onboarding, creators, their earnings ledger and payouts.</summary>
public static class ConnectService
{
    public const string Name = "connect";

    /// <summary>What <c>migrate</c> applies (Program.cs): the same scripts <c>AddServiceDatabase</c> registers.</summary>
    public static readonly ServiceMigrations Migrations = ServiceMigrations.For<ConnectDbContext>(Name);

    public static WebApplication Build(string[] args) => Build(args, null);

    /// <param name="configure">Tests only: replace services (the <see cref="LedgerClock"/>, <see cref="PayoutHooks"/>).</param>
    public static WebApplication Build(string[] args, Action<IServiceCollection>? configure)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(Name);
        builder.AddServiceDatabase<ConnectDbContext>(Name);
        builder.AddServiceBus<ConnectDbContext>(bus => bus.AddConnectConsumers());
        builder.Services.AddStripeClient(builder.Configuration);
        builder.Services.AddOptions<ConnectOptions>().BindConfiguration(ConnectOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(new LedgerClock(TimeProvider.System));
        builder.Services.TryAddSingleton<PayoutHooks>();
        builder.Services.AddScoped<AccountStates>();
        builder.Services.AddScoped<AccountOnboarding>();
        builder.Services.AddScoped<CreatorDirectory>();
        builder.Services.AddScoped<EarningsLedger>();
        builder.Services.AddScoped<PayoutService>();
        builder.Services.AddScoped<ScheduledPayoutBatch>();
        builder.Services.AddSingleton<PayoutSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PayoutSweeper>());
        builder.Services.AddSingleton<PayoutScheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PayoutScheduler>());
        configure?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapConnectApi();
        app.MapCreatorsApi();
        app.MapPayoutsApi();
        return app;
    }
}
