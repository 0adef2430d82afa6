namespace Billing.Stripe.Tests.Sandbox.Support;

public static class RepoPaths
{
    /// <summary>The repository root (the folder holding Billing.sln), found upwards from the test binaries.</summary>
    public static string Root { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Billing.sln"))) return dir.FullName;
        throw new InvalidOperationException("Billing.sln not found above " + AppContext.BaseDirectory);
    }
}
