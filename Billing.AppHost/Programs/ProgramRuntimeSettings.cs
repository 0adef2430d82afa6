using Aspire.Hosting.ApplicationModel;

namespace Billing.AppHost.Programs;

/// <summary>
/// Runtime settings every .NET program the AppHost starts (the projects, the <c>dotnet run</c> that launches
/// each, the migrations) gets through its environment, for how it starts and stops on this machine:
/// <list type="bullet">
/// <item><c>DOTNET_TC_CallCountingDelayMs=1000</c>: tiered compilation recompiles hot methods only after a second
/// without new methods to compile, instead of 100 ms. A start is CPU-bound on two cores, and with the default the
/// tier-up thread recompiled while every program was still starting: a quarter of all the CPU of a warm start
/// (perf). The programs reach the same optimised code a second later. Warm start 35–40 s → 24–28 s.</item>
/// <item><c>OTEL_EXPORTER_OTLP_TIMEOUT=3000</c>: an export to the dashboard gives up after 3 s instead of 10 s. The
/// last exports of a stopping program hung until that timeout (why was not found): a service took 12.4 s to exit
/// after SIGTERM, a migration 5.6 s after its 0.5 s of work. The dashboard is local and answers in milliseconds;
/// a failed export is retried by the exporter.</item>
/// </list>
/// README, "Running", has the figures.
/// </summary>
public static class ProgramRuntimeSettings
{
    public static readonly IReadOnlyDictionary<string, string> Variables = new Dictionary<string, string>
    {
        ["DOTNET_TC_CallCountingDelayMs"] = "1000",
        ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "3000",
    };

    public static IDistributedApplicationBuilder WithProgramRuntimeSettings(this IDistributedApplicationBuilder builder)
    {
        builder.Eventing.Subscribe<BeforeStartEvent>((started, _) =>
        {
            foreach (var resource in started.Model.Resources.OfType<IResourceWithEnvironment>())
            {
                if (resource is ProjectResource or ExecutableResource { Command: BuiltProgram.Command })
                    resource.Annotations.Add(new EnvironmentCallbackAnnotation(context =>
                    {
                        foreach (var (name, value) in Variables) context.EnvironmentVariables[name] = value;
                    }));
            }
            return Task.CompletedTask;
        });
        return builder;
    }
}
