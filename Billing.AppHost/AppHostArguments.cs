namespace Billing.AppHost;

/// <summary>
/// The AppHost's own options (<c>run.sh</c> passes them through); anything else goes to Aspire's
/// configuration as usual (<c>key=value</c>).
/// </summary>
public sealed record AppHostArguments
{
    public const string Usage = """
        usage: ./run.sh [options]
          --data <dir>            data folder (default <repo>/.data): postgres, rabbitmq, redis, secrets.json
          --wipe                  delete the data of earlier runs first (fresh databases, new secrets)
          --external              start no servers: use the ones named by the environment variables
                                  ConnectionStrings__postgres (admin), ConnectionStrings__rabbitmq (amqp://),
                                  ConnectionStrings__redis (host:port,password=...)
          --port <n>              gateway port (default 8080)
          --dashboard-port <n>    Aspire dashboard port (default 18888; its OTLP and resource service
                                  endpoints take the next two)
        """;

    public required string DataDirectory { get; init; }
    public bool Wipe { get; init; }
    public bool External { get; init; }
    public int GatewayPort { get; init; } = 8080;
    public int DashboardPort { get; init; } = 18888;

    /// <summary>What Aspire reads (its configuration), the AppHost's own options taken out.</summary>
    public required string[] Rest { get; init; }

    public string SecretsFile => Path.Combine(DataDirectory, "secrets.json");

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a one-line reason.</summary>
    public static AppHostArguments Parse(string[] args, string repositoryRoot)
    {
        string? data = null;
        bool wipe = false, external = false;
        int port = 8080, dashboardPort = 18888;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--data": data = Value(); break;
                case "--wipe": wipe = true; break;
                case "--external": external = true; break;
                case "--port": port = ParsePort(args[i], Value()); break;
                case "--dashboard-port": dashboardPort = ParsePort(args[i], Value()); break;
                case var other when other.StartsWith("--", StringComparison.Ordinal) && !other.Contains('='):
                    throw new ArgumentException($"unknown option {other}.");
                default: rest.Add(args[i]); break;
            }
        }
        if (port >= dashboardPort && port <= dashboardPort + 2)
            throw new ArgumentException("--port must differ from --dashboard-port and the two ports after it.");
        return new AppHostArguments
        {
            DataDirectory = Path.GetFullPath(data ?? Path.Combine(repositoryRoot, ".data")),
            Wipe = wipe, External = external, GatewayPort = port, DashboardPort = dashboardPort, Rest = [.. rest],
        };
    }

    private static int ParsePort(string option, string value) =>
        int.TryParse(value, out var port) && port is > 0 and < 65534 ? port : throw new ArgumentException($"{option} {value} is not a port.");
}
