using Billing.Hosting;

namespace Billing.Tests.Hosting;

/// <summary>
/// A run started while the one before it is still shutting its Postgres down (the orchestrator ends the servers after
/// the AppHost has exited) waits for that Postgres instead of failing on its lock file, and never stops it itself.
/// </summary>
public sealed class PostgresRestartTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "billing-pg-restart-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly string _password = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
    private PostgresServer _earlier = null!;

    private string DataDirectory => Path.Combine(_root, "postgres");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_root);
        // The postgres user must reach its data folder below this one.
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        _earlier = new PostgresServer(DataDirectory, FreePort.Next(), _password, durable: false);
        await _earlier.StartAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await _earlier.StopAsync();
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task A_start_on_the_data_folder_of_a_postgres_still_stopping_waits_for_it_and_then_serves()
    {
        await using var next = new PostgresServer(DataDirectory, FreePort.Next(), _password, durable: false);
        var start = next.StartAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(start.IsCompleted, "the second start did not wait for the first Postgres");

        await _earlier.StopAsync();
        await start;

        Assert.True(await next.IsHealthyAsync());
    }

    [Fact]
    public async Task A_postgres_that_does_not_end_is_named_and_left_running()
    {
        var pid = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First();
        await using var next = new PostgresServer(DataDirectory, FreePort.Next(), _password, durable: false) { EarlierServerWait = TimeSpan.FromSeconds(1) };

        var refused = await Assert.ThrowsAsync<HostingException>(() => next.StartAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains($"pid {pid}", refused.Message);
        Assert.True(await _earlier.IsHealthyAsync());
    }
}
