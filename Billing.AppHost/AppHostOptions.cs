namespace Billing.AppHost;

/// <summary>The command line: <c>--root &lt;repo&gt; [--data dir] [--wipe] [--external ...] [--port n] [--dashboard-port n]</c>.</summary>
public sealed record AppHostOptions
{
    public const string Usage = """
        usage: Billing.AppHost --root <repo> [options]
          --data <dir>            data folder (default <root>/.data): postgres, rabbitmq, redis, secrets.json
          --wipe                  delete the data of earlier runs first (fresh databases, new secrets)
          --external              use servers that already run instead of starting them:
            --postgres <conn>     admin connection string   (or env ConnectionStrings__postgres)
            --rabbitmq <amqp://>  broker URI                (or env ConnectionStrings__rabbitmq)
            --redis <host:port,password=...>                (or env ConnectionStrings__redis)
          --port <n>              gateway port (default 8080)
          --dashboard-port <n>    dashboard port (default 18888)
        """;

    public required string Root { get; init; }
    public required string DataDirectory { get; init; }
    public bool Wipe { get; init; }
    public bool External { get; init; }
    public string? PostgresConnection { get; init; }
    public string? RabbitMqConnection { get; init; }
    public string? RedisConnection { get; init; }
    public int GatewayPort { get; init; } = 8080;
    public int DashboardPort { get; init; } = 18888;

    public string SecretsFile => Path.Combine(DataDirectory, "secrets.json");
    public string PidFile => Path.Combine(DataDirectory, "apphost.pids");

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> with a one-line reason.</summary>
    public static AppHostOptions Parse(string[] args, Func<string, string?> environment)
    {
        string? root = null, data = null, postgres = null, rabbitmq = null, redis = null;
        bool wipe = false, external = false;
        int port = 8080, dashboardPort = 18888;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--root": root = Value(); break;
                case "--data": data = Value(); break;
                case "--wipe": wipe = true; break;
                case "--external": external = true; break;
                case "--postgres": postgres = Value(); break;
                case "--rabbitmq": rabbitmq = Value(); break;
                case "--redis": redis = Value(); break;
                case "--port": port = ParsePort(args[i], Value()); break;
                case "--dashboard-port": dashboardPort = ParsePort(args[i], Value()); break;
                default: throw new ArgumentException($"unknown option {args[i]}.");
            }
        }
        if (root is null) throw new ArgumentException("--root <repo folder> is required.");
        root = Path.GetFullPath(root);
        if (!File.Exists(Path.Combine(root, "Billing.sln"))) throw new ArgumentException($"{root} is not the repository (no Billing.sln).");
        if (port == dashboardPort) throw new ArgumentException("--port and --dashboard-port must differ.");

        if (!external && (postgres ?? rabbitmq ?? redis) is not null)
            throw new ArgumentException("--postgres, --rabbitmq and --redis go with --external.");
        if (external)
        {
            postgres ??= environment("ConnectionStrings__postgres");
            rabbitmq ??= environment("ConnectionStrings__rabbitmq");
            redis ??= environment("ConnectionStrings__redis");
            var missing = new[] { ("--postgres", postgres), ("--rabbitmq", rabbitmq), ("--redis", redis) }
                .Where(o => string.IsNullOrWhiteSpace(o.Item2)).Select(o => o.Item1).ToList();
            if (missing.Count > 0)
                throw new ArgumentException($"--external needs {string.Join(", ", missing)} (or ConnectionStrings__postgres/rabbitmq/redis).");
        }

        return new AppHostOptions
        {
            Root = root,
            DataDirectory = Path.GetFullPath(data ?? Path.Combine(root, ".data")),
            Wipe = wipe, External = external,
            PostgresConnection = postgres, RabbitMqConnection = rabbitmq, RedisConnection = redis,
            GatewayPort = port, DashboardPort = dashboardPort,
        };
    }

    private static int ParsePort(string option, string value) =>
        int.TryParse(value, out var port) && port is > 0 and < 65536 ? port : throw new ArgumentException($"{option} {value} is not a port.");
}
