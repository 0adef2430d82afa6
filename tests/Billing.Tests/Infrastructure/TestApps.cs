using Billing.ServiceDefaults.Api;

namespace Billing.Tests.Infrastructure;

/// <summary>Each test makes its own app, so tests never see each other's data.</summary>
public static class TestApps
{
    public static string NewAppId() => Ids.New("app");
}
