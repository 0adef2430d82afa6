using System.Reflection;

namespace Billing.AppHost.Programs;

/// <summary>
/// A project's built program, run as an executable resource: <c>dotnet bin/&lt;configuration&gt;/&lt;framework&gt;/&lt;name&gt;.dll</c>.
/// For the steps that run once (migrations): Aspire starts a project resource through <c>dotnet run</c>,
/// whose evaluation of the project file costs about 3 s of CPU per start on this 2-core machine, more
/// than the migration itself; seven of them were a third of the CPU of a warm start.
/// </summary>
public static class BuiltProgram
{
    // The AppHost and the programs are built together (run.sh builds the solution), in one configuration and framework.
    private static readonly string Configuration =
        typeof(BuiltProgram).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
    private static readonly string Framework = $"net{Environment.Version.Major}.{Environment.Version.Minor}";

    /// <summary>What runs a built program: its executable resources carry this command.</summary>
    public const string Command = "dotnet";

    public static IResourceBuilder<ExecutableResource> AddBuiltProgram<TProject>(
        this IDistributedApplicationBuilder builder, string name, params string[] args)
        where TProject : IProjectMetadata, new()
    {
        var project = new TProject().ProjectPath;
        var directory = Path.GetDirectoryName(project)!;
        // Every project of the repository keeps its file name as assembly name.
        var program = Path.Combine(directory, "bin", Configuration, Framework, Path.GetFileNameWithoutExtension(project) + ".dll");
        if (!File.Exists(program))
            throw new InvalidOperationException($"{program} is not built: build the solution first (./run.sh does).");
        return builder.AddExecutable(name, Command, directory, [program, .. args]).WithOtlpExporter();
    }
}
