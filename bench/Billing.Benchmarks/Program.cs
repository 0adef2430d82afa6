using Billing.Benchmarks;
using Billing.Benchmarks.Gateway;
using Billing.Benchmarks.Outbox;
using Billing.Benchmarks.Usage;
using Billing.Benchmarks.Webhooks;

// One command per benchmark; add a case for a new one.
return args switch
{
    ["gateway", .. var rest] => await GatewayOverheadBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    ["outbox", .. var rest] => await OutboxLatencyBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    ["webhooks", .. var rest] => await WebhookIngestBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    ["usage", .. var rest] => await UsageBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
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
          webhooks signed Stripe webhooks through the gateway into the Webhooks service, against plain
                   durable single-row inserts; then webhook-to-consumer latency at a steady rate
                   options: --concurrency <senders> (16)  --seconds <measured per phase> (5)
                            --rate <events/s> (200)  --latency-seconds <measured> (10)
          usage    ingestion through the gateway (batches of 1,000, 4 clients) against COPY of as many
                   rows; entitlement checks at a steady rate; GET /usage over 90 days x 4 meters
                   options: --seconds <ingestion> (10)  --rate <checks/s> (500)  --checks <n> (5000)
                            --history-events <n> (10000000)  --history-calls <n> (1000)
        """);
    return 2;
}
