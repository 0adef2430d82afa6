namespace Billing.AppHost;

/// <summary>The data folder: Postgres, RabbitMQ and Redis data and secrets.json, kept between runs.</summary>
public static class DataFolder
{
    /// <summary>What <c>--wipe</c> deletes: the AppHost's own data, never anything else in the folder.</summary>
    private static readonly string[] OwnData = ["postgres", "rabbitmq", "redis", "secrets.json"];

    /// <summary>The repository: the folder above this program's that holds Billing.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Billing.sln"))) return dir.FullName;
        throw new ArgumentException($"no Billing.sln above {AppContext.BaseDirectory}: run the AppHost from the repository (./run.sh).");
    }

    /// <summary>Creates the folder (wiped first with <c>--wipe</c>), reachable by the postgres user when we are root.</summary>
    public static void Prepare(AppHostArguments options)
    {
        var path = options.DataDirectory;
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        if (!options.Wipe) return;
        foreach (var entry in OwnData.Select(e => Path.Combine(path, e)))
        {
            if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
            else if (File.Exists(entry)) File.Delete(entry);
        }
        Console.WriteLine($"wiped {path}: {string.Join(", ", OwnData)}");
    }
}
