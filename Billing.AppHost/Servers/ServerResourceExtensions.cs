using Aspire.Hosting.ApplicationModel;
using Billing.AppHost.Health;
using Billing.AppHost.Secrets;
using Billing.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.AppHost.Servers;

public static class ServerResourceExtensions
{
    /// <summary>
    /// The server's <see cref="ManagedServer.Steps"/> as executable resources, each after the one
    /// before it (a step that runs to completion awaited with <c>WaitForCompletion</c>, one that
    /// keeps running with <c>WaitFor</c> on its readiness check); the last is the server itself.
    /// The same definition the test fixtures start as child processes.
    /// </summary>
    public static async Task<IResourceBuilder<ServerResource>> AddServerAsync(
        this IDistributedApplicationBuilder builder, ManagedServer server, Secret password)
    {
        await server.PrepareAsync();
        var steps = server.Steps;
        (IResourceBuilder<ExecutableResource> Resource, ServerStep Step)? previous = null;
        foreach (var step in steps.SkipLast(1))
        {
            var (command, arguments) = step.Spec.CommandLine;
            var resource = builder.AddExecutable($"{server.Name}-{step.Name}", command, server.DataDirectory, [.. arguments])
                .WithSpecEnvironment(step.Spec);
            if (!step.RunsToCompletion) resource.WithHealthCheck(builder.AddReadinessCheck(resource.Resource.Name, step.IsReadyAsync));
            if (previous is { } before) resource.WaitAfter(before.Resource, before.Step);
            previous = (resource, step);
        }

        var last = steps[^1];
        var (serverCommand, serverArguments) = last.Spec.CommandLine;
        var result = builder.AddResource(new ServerResource(server.Name, serverCommand, server.DataDirectory,
                password.In(server.ConnectionString)))
            .WithArgs([.. serverArguments])
            .WithSpecEnvironment(last.Spec)
            .WithHealthCheck(builder.AddReadinessCheck(server.Name, last.IsReadyAsync))
            // What only the first start needed (initdb's password file) goes once the server answers.
            .OnResourceReady((_, _, _) => { server.OnStarted(); return Task.CompletedTask; });
        if (previous is { } waited) result.WaitAfter(waited.Resource, waited.Step);
        return result;
    }

    /// <summary>
    /// A server someone else runs (<c>--external</c>): its connection string from configuration
    /// (<c>ConnectionStrings__{name}</c>), probed by <paramref name="probe"/>, never started or stopped.
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddExternalServer(
        this IDistributedApplicationBuilder builder, string name, Func<CancellationToken, Task<bool>> probe) =>
        builder.AddConnectionString(name).WithHealthCheck(builder.AddReadinessCheck(name, probe));

    private static void WaitAfter<T>(this IResourceBuilder<T> resource, IResourceBuilder<ExecutableResource> previous, ServerStep previousStep)
        where T : IResourceWithWaitSupport
    {
        if (previousStep.RunsToCompletion) resource.WaitForCompletion(previous);
        else resource.WaitFor(previous);
    }

    private static IResourceBuilder<T> WithSpecEnvironment<T>(this IResourceBuilder<T> resource, ProcessSpec spec) where T : IResourceWithEnvironment
    {
        foreach (var (key, value) in spec.Environment) resource.WithEnvironment(key, value);
        return resource;
    }
}
