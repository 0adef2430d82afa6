using System.Diagnostics;
using Billing.AppHost.Logging;
using Billing.AppHost.Resources;
using Billing.Hosting;
using Npgsql;

namespace Billing.AppHost.Startup;

/// <summary>
/// Starts the resources in dependency order, each as soon as what it needs is healthy (so
/// independent ones start in parallel); then supervises them; then stops them in reverse order.
/// <code>
/// postgres ─ provision ─ migrate(each) ─┐
/// rabbitmq, redis, stripe ──────────────┴─ services ─ gateway
/// </code>
/// </summary>
public sealed class Orchestrator(SystemModel model, SecretStore secrets, ConsoleSink console)
{
    private static readonly TimeSpan MigrateTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan HealthInterval = TimeSpan.FromSeconds(3);

    /// <summary>Starts everything; throws the first <see cref="HostingException"/> if any part fails.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        using var startup = CancellationTokenSource.CreateLinkedTokenSource(ct);
        HostingException? failure = null;
        void Fail(HostingException e)
        {
            Interlocked.CompareExchange(ref failure, e, null);
            startup.Cancel();
        }
        void OnCrash(Resource _, string message) => Fail(new HostingException(message));
        foreach (var resource in model.All) resource.CrashedUnsupervised += OnCrash;

        async Task Step(Func<Task> body)
        {
            try { await body(); }
            catch (HostingException e) { Fail(e); throw; }
            catch (Exception e) when (e is not OperationCanceledException) { Fail(new HostingException(e.Message)); throw; }
        }
        Task Start(Resource resource, params Task[] after) => Step(async () =>
        {
            await Task.WhenAll(after);
            await resource.StartAsync(startup.Token);
            console.Info($"{resource.Name} healthy ({Elapsed:0.0} s)");
        });

        var infrastructure = model.Infrastructure;
        var postgres = Start(infrastructure.Postgres);
        var rabbitmq = Start(infrastructure.RabbitMq);
        var redis = Start(infrastructure.Redis);
        var sandbox = model.Sandbox is { } s ? Start(s) : Task.CompletedTask;
        var provisioned = Step(async () =>
        {
            await postgres;
            IReadOnlyDictionary<string, string> connections;
            try
            {
                connections = await DatabaseProvisioner.ProvisionAsync(infrastructure.PostgresAdmin, Programs.Schemas, secrets, startup.Token);
            }
            catch (NpgsqlException e)
            {
                // Typically data kept from a run whose secrets.json is gone, or a wrong --postgres.
                throw new HostingException($"provisioning the database failed ({e.Message}); check --postgres, or start afresh with --wipe.");
            }
            // Provisioning is done with its sessions: none should sit idle in our pool for the whole run.
            NpgsqlConnection.ClearAllPools();
            model.SetDatabaseConnections(connections);
            console.Info($"database '{DatabaseProvisioner.Database}' provisioned: one schema and role per service ({Elapsed:0.0} s)");
        });
        Task Migrated(DotnetResource resource) => Step(async () =>
        {
            await provisioned;
            await resource.MigrateAsync(MigrateTimeout, startup.Token);
        });
        var services = model.Services.Select(service =>
            Start(service, Migrated(service), rabbitmq, redis, sandbox)).ToList();
        var gateway = model.Gateway is { } g
            ? Start(g, [Migrated(g), rabbitmq, redis, sandbox, .. services])
            : Task.CompletedTask;

        try { await Task.WhenAll([postgres, rabbitmq, redis, sandbox, provisioned, .. services, gateway]); }
        catch when (failure is not null || ct.IsCancellationRequested) { }
        finally
        {
            foreach (var resource in model.All) resource.CrashedUnsupervised -= OnCrash;
        }
        if (failure is not null) throw failure;
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>From now on, a resource that exits is restarted; probes run until <paramref name="stopping"/>.</summary>
    public async Task SuperviseAsync(CancellationToken stopping)
    {
        foreach (var resource in model.All) resource.Supervise(stopping);
        try
        {
            while (true)
            {
                await Task.Delay(HealthInterval, stopping);
                await Task.WhenAll(model.All.Select(r => r.RefreshHealthAsync(stopping)));
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Gateway, services, sandbox, then redis, rabbitmq, postgres: nothing loses what it depends on while running.</summary>
    public async Task StopAsync()
    {
        var all = model.All;
        var programs = all.OfType<DotnetResource>().Where(r => r.Kind == ResourceKind.Service).ToList();
        if (model.Gateway is { } gateway) await Stop(gateway);
        await Task.WhenAll(programs.Select(Stop));
        if (model.Sandbox is { } sandbox) await Stop(sandbox);
        foreach (var server in model.Infrastructure.All.Reverse()) await Stop(server);

        async Task Stop(Resource resource)
        {
            if (resource.Pids.Count > 0) console.Info($"stopping {resource.Name}");
            await resource.StopAsync();
        }
    }

    /// <summary>Seconds since the AppHost process started (the run command's own start-up included).</summary>
    public static double Elapsed => (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
}
