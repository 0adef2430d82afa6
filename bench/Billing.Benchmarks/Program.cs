using Billing.Benchmarks;
using Billing.Benchmarks.Gateway;
using Billing.Benchmarks.Outbox;

// One command per benchmark; add a case for a new one.
return args switch
{
    ["gateway", .. var rest] => await GatewayOverheadBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    ["outbox", .. var rest] => await OutboxLatencyBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/Billing.Benchmarks -- <benchmark> [options]

        benchmarks:
          gateway  authenticated Catalog GET plans through the gateway, against the same call made
                   straight to the Catalog with a signed identity
                   options: --seconds <measured per phase> (5)  --concurrency <callers> (16)  --latency-calls <n> (2000)
          outbox   commit-to-consumer latency through the outbox, against a direct Publish
                   options: --rate <messages/s> (500)  --seconds <measured> (10)  --warmup <seconds> (2)
                            --durable 1|0 (1: Postgres with fsync, as in production)
        """);
    return 2;
}
