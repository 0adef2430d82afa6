namespace Billing.Tests.AppHost;

/// <summary>The repository the tests run from, and the Release build that build/setup.sh makes there.</summary>
public static class RepositoryPaths
{
    public static readonly string Root = FindRoot();

    public static string AppHostDll => Path.Combine(Root, "Billing.AppHost", "bin", "Release", "net10.0", "Billing.AppHost.dll");
    public static string GatewayDll => Path.Combine(Root, "gateway", "bin", "Release", "net10.0", "Billing.Gateway.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Billing.sln"))) return dir.FullName;
        throw new InvalidOperationException("Billing.sln not found above the test assembly.");
    }
}
