using System.Text.Json;

namespace Billing.Tests.AppHost;

/// <summary>Reads a secret the AppHost generated for the run (its secrets file), as a developer would.</summary>
public static class AppHostIdentity
{
    public static string Secret(string dataDirectory, string name) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(Path.Combine(dataDirectory, "secrets.json")))![name];
}
