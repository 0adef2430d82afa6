using Billing.Connect.Apis;
using Billing.Connect.Infrastructure;
using Billing.ServiceDefaults;
using Billing.ServiceDefaults.Data;

namespace Billing.Connect;

/// <summary>Connect Express accounts and onboarding, creators, their earnings ledger and payouts.</summary>
public static class ConnectService
{
    public const string Name = "connect";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults(Name);
        builder.AddServiceDatabase<ConnectDbContext>(Name);

        var app = builder.Build();
        app.UseServiceDefaults();
        app.MapDefaultEndpoints();
        app.MapConnectStatusApi();
        return app;
    }
}
