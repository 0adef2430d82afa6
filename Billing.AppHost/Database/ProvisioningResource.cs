using Aspire.Hosting.ApplicationModel;

namespace Billing.AppHost.Database;

/// <summary>
/// The database <c>billing</c> with one schema and one least-privilege role per service, made by
/// <see cref="Billing.Hosting.DatabaseProvisioner"/> inside the AppHost: a resource of its own in
/// the dashboard that runs once and finishes, which each migration awaits with <c>WaitForCompletion</c>.
/// </summary>
public sealed class ProvisioningResource(string name) : Resource(name), IResourceWithWaitSupport;
