using Aspire.Hosting.ApplicationModel;

namespace Billing.AppHost.Servers;

/// <summary>
/// Postgres, RabbitMQ or Redis run as an executable (no container engine here), whose connection
/// string projects receive with <c>WithReference</c> as <c>ConnectionStrings__{name}</c>.
/// </summary>
public sealed class ServerResource(string name, string command, string workingDirectory, ReferenceExpression connectionString)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ReferenceExpression ConnectionStringExpression { get; } = connectionString;
}
