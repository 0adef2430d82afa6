namespace Billing.Hosting;

/// <summary>
/// RabbitMQ from Debian's package with its own node name, ports, data folder and epmd, so it
/// never meets a system-wide broker and leaves no daemon behind when stopped.
/// </summary>
public sealed class RabbitMqServer(string dataDirectory, int port, string user, string password, string nodeName = "billing")
    : ManagedServer("rabbitmq", dataDirectory, port)
{
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    private readonly int _epmdPort = FreePort.Next();
    private readonly int _distributionPort = FreePort.Next();

    public override string ConnectionString => $"amqp://{user}:{Uri.EscapeDataString(password)}@127.0.0.1:{Port}/";

    public override Task PrepareAsync(CancellationToken ct = default)
    {
        if (!File.Exists(ServerScript))
            throw new HostingException("rabbitmq-server is not installed: run build/setup.sh (it installs Debian's rabbitmq-server).");
        Directory.CreateDirectory(DataDirectory);
        File.WriteAllText(Path.Combine(DataDirectory, "enabled_plugins"), "[].\n");
        // The password goes in a config file, not the command line or the environment.
        var config = Path.Combine(DataDirectory, "rabbitmq.conf");
        File.WriteAllText(config, $"""
            listeners.tcp.default = 127.0.0.1:{Port}
            default_user = {user}
            default_pass = {password}
            loopback_users = none
            log.console = true
            log.console.level = warning
            log.connection.level = error
            log.file = false
            # The newer classic queue store: about a third less broker CPU per persistent message here.
            classic_queue.default_version = 2
            """);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return Task.CompletedTask;
    }

    // Our own epmd in the foreground: Erlang would otherwise start a daemon that outlives us. It must
    // listen before the broker looks for it, and no Erlang VM of the broker starts one itself
    // (ERL_FLAGS -start_epmd false, which also reaches the "epmd-starter" VMs RabbitMQ spawns at boot and
    // every minute): a broker that found no epmd started its own on the same port (the two collided and
    // the node died with "nodistribution", seen on a loaded machine), and a check that ran while ours was
    // not answering left an `epmd -daemon` running after everything else had stopped (seen in the
    // AppHost's leftover-process test).
    public override IReadOnlyList<ServerStep> Steps =>
    [
        ServerStep.Running("epmd", new ProcessSpec("epmd", ["-port", _epmdPort.ToString()]),
            ct => FreePort.IsListeningAsync(_epmdPort, ct)),
        ServerStep.Running("rabbitmq", new ProcessSpec(ServerScript, [])
        {
            Environment = new Dictionary<string, string>
            {
                ["HOME"] = DataDirectory,
                ["ERL_EPMD_PORT"] = _epmdPort.ToString(),
                ["RABBITMQ_NODENAME"] = $"{nodeName}@localhost",
                ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
                ["RABBITMQ_NODE_PORT"] = Port.ToString(),
                ["RABBITMQ_DIST_PORT"] = _distributionPort.ToString(),
                ["RABBITMQ_MNESIA_BASE"] = Path.Combine(DataDirectory, "mnesia"),
                ["RABBITMQ_LOG_BASE"] = Path.Combine(DataDirectory, "log"),
                ["RABBITMQ_CONFIG_FILE"] = Path.Combine(DataDirectory, "rabbitmq.conf"),
                ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(DataDirectory, "advanced.config"),
                ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(DataDirectory, "enabled_plugins"),
                ["RABBITMQ_PID_FILE"] = Path.Combine(DataDirectory, "rabbitmq.pid"),
                ["RABBITMQ_CONF_ENV_FILE"] = "/dev/null",
                // Two schedulers are all this machine has; more only adds spinning.
                ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "+S 2:2 +sbwt none +sbwtdcpu none +sbwtdio none",
                ["ERL_FLAGS"] = "-start_epmd false",
            },
        }, IsHealthyAsync),
    ];

    /// <summary>Healthy when the broker answers the AMQP protocol header with its Connection.Start.</summary>
    public override Task<bool> IsHealthyAsync(CancellationToken ct = default) => HealthProbes.AmqpAsync("127.0.0.1", Port, ct);
}
