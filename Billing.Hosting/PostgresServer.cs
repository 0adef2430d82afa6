namespace Billing.Hosting;

/// <summary>
/// Postgres from the installed binaries: initdb on first start, then the server on 127.0.0.1.
/// As root it runs as the <c>postgres</c> user, which owns the data folder.
/// </summary>
public sealed class PostgresServer(string dataDirectory, int port, string superuserPassword, bool durable = true)
    : ManagedServer("postgres", dataDirectory, port)
{
    private const string Superuser = "postgres";

    public override string ConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username={Superuser};Password={superuserPassword};Database=postgres";

    /// <summary>The user the processes run as: Postgres refuses root.</summary>
    private static string? RunAs => ChildProcess.IsRoot ? Superuser : null;

    private bool Initialized => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));

    /// <summary>initdb reads the superuser password from this file (never the command line); it is deleted once the server answers.</summary>
    private string PasswordFile => Path.Combine(Path.GetDirectoryName(DataDirectory)!, ".pgpass-init");

    /// <summary>How long a start waits for a Postgres still running on the same data folder to end.</summary>
    public TimeSpan EarlierServerWait { get; init; } = TimeSpan.FromSeconds(30);

    public override async Task PrepareAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(DataDirectory);
        await WaitForEarlierServerAsync(ct);
        if (!Initialized)
        {
            await File.WriteAllTextAsync(PasswordFile, superuserPassword, ct);
            File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (RunAs is { } user) await ChownAsync(PasswordFile, user, ct);
        }
        if (RunAs is { } runAs) await ChownAsync(DataDirectory, runAs, ct);
    }

    /// <summary>
    /// A run stopped a moment ago may still be shutting its Postgres down (the orchestrator ends it after the AppHost
    /// has exited), and a new one on its data folder would fail on the lock file (postmaster.pid): so the start waits
    /// for it to end, up to <see cref="EarlierServerWait"/>, then says which process holds the folder. It never stops it.
    /// </summary>
    private async Task WaitForEarlierServerAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + EarlierServerWait;
        while (EarlierServerPid() is { } pid)
        {
            if (DateTime.UtcNow > deadline)
                throw new HostingException($"postgres: another Postgres (pid {pid}) is running on {DataDirectory}; stop it, or give this run another --data folder.");
            await Task.Delay(200, ct);
        }
    }

    /// <summary>The pid in postmaster.pid while that process is a live postgres; null for no file or a stale one.</summary>
    private int? EarlierServerPid()
    {
        try
        {
            var firstLine = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
            if (!int.TryParse(firstLine, out var pid)) return null;
            // A reused pid belongs to some other program: that is a stale lock file, which Postgres handles itself.
            return File.ReadAllText($"/proc/{pid}/comm").Trim() == "postgres" ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    public override IReadOnlyList<ServerStep> Steps
    {
        get
        {
            var binaries = FindBinaries();
            var arguments = new List<string>
            {
                "-D", DataDirectory, "-p", Port.ToString(), "-c", "listen_addresses=127.0.0.1",
                "-k", DataDirectory, "-c", "max_connections=300", "-c", "log_min_messages=warning",
            };
            // Tests throw their database away: skipping fsync makes them several times faster.
            if (!durable) arguments.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
            // SIGINT is Postgres's fast shutdown: it ends open sessions (a developer's psql, a pool) and
            // checkpoints, where SIGTERM would wait for every client to leave.
            var server = ServerStep.Running("postgres", new ProcessSpec(Path.Combine(binaries, "postgres"), arguments) { RunAsUser = RunAs, StopSignal = 2 }, IsHealthyAsync);
            if (Initialized) return [server];
            var initdb = new ProcessSpec(Path.Combine(binaries, "initdb"),
                ["-D", DataDirectory, "-U", Superuser, "--pwfile", PasswordFile, "-E", "UTF8", "--locale=C",
                 "--auth-local=trust", "--auth-host=scram-sha-256"]) { RunAsUser = RunAs };
            return [ServerStep.Completing("initdb", initdb), server];
        }
    }

    public override void OnStarted() => File.Delete(PasswordFile);

    public override async Task<bool> IsHealthyAsync(CancellationToken ct = default)
    {
        try
        {
            return await HealthProbes.PostgresAsync(ConnectionString, ct);
        }
        catch (HostingException)
        {
            throw new HostingException($"postgres: the data in {DataDirectory} was made with another password "
                + "(its secrets file lost?); restore that file, or delete the folder (the AppHost's --wipe) for fresh data.");
        }
    }

    private static async Task ChownAsync(string path, string user, CancellationToken ct)
    {
        await using var chown = ChildProcess.Start(new ProcessSpec("chown", ["-R", $"{user}:{user}", path]), _ => { });
        await chown.Exited.WaitAsync(ct);
    }

    /// <summary>The folder with initdb and postgres: PATH first, then Debian's versioned folders.</summary>
    private static string FindBinaries()
    {
        var fromPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .FirstOrDefault(dir => File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "postgres")));
        if (fromPath is not null) return fromPath;
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        return debian ?? throw new HostingException("Postgres binaries (initdb, postgres) not found: apt-get install postgresql.");
    }
}
