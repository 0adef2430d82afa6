using Billing.AppHost.Resources;

namespace Billing.AppHost.Startup;

/// <summary>A .NET program of the system: its resource name, kind, project folder, assembly and Postgres schema.</summary>
public sealed record ProgramInfo(string Name, ResourceKind Kind, string Project, string Assembly, string? Schema)
{
    /// <summary>Release output, which <c>build/setup.sh</c> produces; <c>dotnet run</c> would rebuild and be slow.</summary>
    public string DllPath(string root) => Path.Combine(root, Project, "bin", "Release", "net10.0", Assembly + ".dll");
}

public static class Programs
{
    public static readonly ProgramInfo Sandbox = new("stripe", ResourceKind.Sandbox, "stripe/Sandbox", "Billing.StripeSandbox", null);

    public static readonly IReadOnlyList<ProgramInfo> Services =
    [
        new("catalog", ResourceKind.Service, "services/Catalog", "Billing.Catalog", "catalog"),
        new("subscriptions", ResourceKind.Service, "services/Subscriptions", "Billing.Subscriptions", "subscriptions"),
        new("orders", ResourceKind.Service, "services/Orders", "Billing.Orders", "orders"),
        new("connect", ResourceKind.Service, "services/Connect", "Billing.Connect", "connect"),
        new("webhooks", ResourceKind.Service, "services/Webhooks", "Billing.Webhooks", "webhooks"),
        new("usage", ResourceKind.Service, "services/Usage", "Billing.Usage", "usage"),
    ];

    public static readonly ProgramInfo Gateway = new("gateway", ResourceKind.Gateway, "gateway", "Billing.Gateway", "gateway");

    /// <summary>Every schema gets its role, whether or not its program is built yet.</summary>
    public static IEnumerable<string> Schemas => Services.Append(Gateway).Select(p => p.Schema!);
}
