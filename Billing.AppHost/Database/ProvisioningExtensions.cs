using Aspire.Hosting.ApplicationModel;
using Billing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Billing.AppHost.Database;

public static class ProvisioningExtensions
{
    /// <summary>Provisions <paramref name="schemas"/> once <paramref name="postgres"/> is healthy, then finishes (exit code 0, or 1 with the reason in its log).</summary>
    public static IResourceBuilder<ProvisioningResource> AddDatabaseProvisioning(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<IResourceWithConnectionString> postgres,
        IReadOnlyList<string> schemas, SecretStore secrets)
    {
        return builder.AddResource(new ProvisioningResource(name))
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Provisioning",
                State = KnownResourceStates.NotStarted,
                Properties = [new("schemas", string.Join(", ", schemas))],
            })
            .WaitFor(postgres)
            .OnInitializeResource(async (resource, initialize, ct) =>
            {
                var notifications = initialize.Notifications;
                var log = initialize.Logger;
                await notifications.WaitForDependenciesAsync(resource, ct);
                await notifications.PublishUpdateAsync(resource, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
                var exitCode = 0;
                try
                {
                    var admin = await postgres.Resource.GetConnectionStringAsync(ct)
                        ?? throw new InvalidOperationException("postgres has no connection string.");
                    await DatabaseProvisioner.ProvisionAsync(admin, schemas, secrets, ct);
                    // Provisioning is done with its sessions: none should sit idle in a pool for the whole run.
                    NpgsqlConnection.ClearAllPools();
                    log.LogInformation("database '{Database}' provisioned: a schema and a role for each of {Schemas}", DatabaseProvisioner.Database, string.Join(", ", schemas));
                }
                catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
                {
                    // Typically data kept from a run whose secrets.json is gone, or a wrong external Postgres.
                    log.LogError("provisioning the database failed: {Reason}; check ConnectionStrings__postgres, or start afresh with --wipe", e.Message);
                    exitCode = 1;
                }
                await notifications.PublishUpdateAsync(resource, s => s with
                {
                    State = exitCode == 0 ? KnownResourceStates.Finished : KnownResourceStates.FailedToStart,
                    ExitCode = exitCode,
                    StopTimeStamp = DateTime.UtcNow,
                });
            });
    }
}
