using System.Diagnostics;
using Billing.Benchmarks.Infrastructure;
using Billing.Connect;
using Billing.Connect.Payouts;
using Billing.ServiceDefaults.Security;
using Billing.Stripe;
using Billing.StripeSandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Stripe;

namespace Billing.Benchmarks.Payouts;

/// <summary>
/// A weekly payout run over many creators with available balances (Connect's <see cref="PayoutScheduler"/>:
/// per creator a row lock, balance, payout row and ledger debit, period row, Stripe transfer, recording),
/// against the sandbox's raw transfer-create rate measured in the same run with the same concurrency.
/// </summary>
public static class PayoutRunBenchmark
{
    private const string StripeKey = "sk_test_bench_payouts";
    private const double TargetRatio = 0.5;

    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var creators = arguments.Int("creators", 10_000);
        var concurrency = arguments.Int("concurrency", 8);
        var baselineTransfers = arguments.Int("baseline-transfers", 3_000);
        ThreadPool.SetMinThreads(64, 64);
        Console.WriteLine($"payouts benchmark: weekly run over {creators} creators, {concurrency} at a time; baseline {baselineTransfers} raw transfers");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {System.IO.File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

        await using var servers = await BenchServers.StartAsync("connect", durable: true);
        var sandbox = SandboxApp.Build(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning", $"--Sandbox:ApiKeys:0={StripeKey}"]);
        await sandbox.StartAsync();
        var sandboxUrl = sandbox.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var (_, publicKey) = IdentityToken.NewKeyPair();
        await using var connect = await BenchHost.StartAsync(ConnectService.Build, new()
        {
            ["ConnectionStrings:connectdb"] = servers.Database,
            ["ConnectionStrings:rabbitmq"] = servers.RabbitMq.ConnectionString,
            ["Identity:PublicKey"] = publicKey,
            ["Stripe:SecretKey"] = StripeKey,
            ["Stripe:ApiBase"] = sandboxUrl,
            ["Connect:SchedulerInterval"] = "00:00:00",
            ["Connect:SchedulerConcurrency"] = concurrency.ToString(),
        });
        var stripe = connect.App.Services.GetRequiredService<StripeClient>();

        Console.WriteLine($"setting up {creators} onboarded accounts in the sandbox and their creators ...");
        var accounts = await OnboardedAccountsAsync(stripe, creators, concurrency);
        await SeedCreatorsAsync(servers.Database, accounts);

        // Baseline: the sandbox alone, the same call the payout makes (an idempotent transfer create), same concurrency.
        var baseline = await TimedAsync(baselineTransfers, concurrency, i => stripe.V1.Transfers.CreateAsync(new TransferCreateOptions
        {
            Amount = 1500, Currency = "usd", Destination = accounts[i % accounts.Count], TransferGroup = $"baseline-{i}",
        }, StripeConventions.Change(IdempotencyKeys.From("bench-baseline", i.ToString()))));
        var rawRate = baselineTransfers / baseline.TotalSeconds;

        var scheduler = connect.App.Services.GetRequiredService<PayoutScheduler>();
        var clock = Stopwatch.StartNew();
        var paid = await scheduler.RunAsync(CancellationToken.None);
        clock.Stop();
        var again = await scheduler.RunAsync(CancellationToken.None);
        var rate = paid / clock.Elapsed.TotalSeconds;
        var ratio = rate / rawRate;

        Console.WriteLine();
        Console.WriteLine($"raw transfer creates (sandbox): {baselineTransfers} in {baseline.TotalSeconds:0.0} s = {rawRate:0} transfers/s");
        Console.WriteLine($"weekly payout run:              {paid} payouts in {clock.Elapsed.TotalSeconds:0.0} s = {rate:0} transfers/s");
        Console.WriteLine($"second run of the same week:    {again} payouts (expected 0)");
        Console.WriteLine($"ratio: {ratio:P0} of the raw rate (target >= {TargetRatio:P0}) -> {(ratio >= TargetRatio && paid == creators && again == 0 ? "met" : "NOT met")}");
        await sandbox.StopAsync();
        await sandbox.DisposeAsync();
        return paid == creators && again == 0 ? 0 : 1;
    }

    private static async Task<List<string>> OnboardedAccountsAsync(StripeClient stripe, int count, int concurrency)
    {
        var ids = new string[count];
        await TimedAsync(count, concurrency, async i =>
        {
            var account = await stripe.V1.Accounts.CreateAsync(new AccountCreateOptions
            {
                Type = "express",
                Capabilities = new AccountCapabilitiesOptions { Transfers = new AccountCapabilitiesTransfersOptions { Requested = true } },
            });
            await stripe.RawRequestAsync(HttpMethod.Post, $"/v1/test_helpers/accounts/{account.Id}/onboard");
            ids[i] = account.Id;
        });
        return [.. ids];
    }

    /// <summary>Creators on weekly payouts, onboarded accounts (state known, as after their account.updated), 1500 cents available each.</summary>
    private static async Task SeedCreatorsAsync(string connectionString, List<string> accounts)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var copy = await connection.BeginTextImportAsync(
            "copy connect.creators (id, app_id, external_id, email, payout_frequency, created_at, updated_at) from stdin");
        for (var i = 0; i < accounts.Count; i++)
            await copy.WriteLineAsync($"cr_bench{i:000000}\tapp_bench\tcreator-{i}\tc{i}@example.com\tweekly\t2026-01-01T00:00:00Z\t2026-01-01T00:00:00Z");
        await copy.DisposeAsync();
        await using var more = connection.CreateBatch();
        var command = more.CreateBatchCommand();
        command.CommandText = """
            insert into connect.connected_accounts (id, app_id, owner_id, stripe_account_id, details_submitted, charges_enabled, payouts_enabled,
                                                    version, state_at, last_event_at, created_at, updated_at)
            select 'ca_bench' || lpad(n::text, 6, '0'), 'app_bench', 'cr_bench' || lpad(n::text, 6, '0'), ($1::text[])[n + 1], true, true, true,
                   1, now(), now(), now(), now()
            from generate_series(0, cardinality($1::text[]) - 1) as n
            """;
        command.Parameters.Add(new NpgsqlParameter { Value = accounts.ToArray() });
        more.BatchCommands.Add(command);
        var earnings = more.CreateBatchCommand();
        earnings.CommandText = """
            insert into connect.earnings (app_id, creator_id, kind, source_id, amount_cents, currency, available_at, created_at)
            select 'app_bench', 'cr_bench' || lpad(n::text, 6, '0'), 'sale', 'wtx_bench' || n, 1500, 'usd', now() - interval '1 day', now()
            from generate_series(0, $1 - 1) as n
            """;
        earnings.Parameters.Add(new NpgsqlParameter { Value = accounts.Count });
        more.BatchCommands.Add(earnings);
        await more.ExecuteNonQueryAsync();
        await using var analyze = new NpgsqlCommand("analyze connect.creators; analyze connect.earnings; analyze connect.connected_accounts", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    private static async Task<TimeSpan> TimedAsync(int count, int concurrency, Func<int, Task> call)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = concurrency },
            async (i, _) => await call(i));
        return clock.Elapsed;
    }
}
