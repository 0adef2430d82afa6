namespace Billing.AppHost.Resources;

/// <summary>The <c>dotnet</c> executable: the one running the AppHost, so every child uses the same runtime.</summary>
public static class DotnetHost
{
    public static readonly string Path =
        Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
}
