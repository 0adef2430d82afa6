using Billing.Benchmarks;
using Billing.Benchmarks.Gateway;
using Billing.Benchmarks.Outbox;
using Billing.Benchmarks.Subscriptions;
using Billing.Benchmarks.Payouts;
using Billing.Benchmarks.Usage;
using Billing.Benchmarks.Webhooks;

// One command per benchmark; add a case for a new one.
return args switch
{
    ["gateway", .. var rest] => await GatewayOverheadBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    ["outbox", .. var rest] => await OutboxLatencyBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    ["webhooks", .. var rest] => await WebhookIngestBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    ["checkout", .. var rest] => await CheckoutBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    ["subscription-sync", .. var rest] => await SubscriptionSyncBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    ["wallet", .. var rest] => await Billing.Benchmarks.Wallet.WalletChargeBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    ["payouts", .. var rest] => await PayoutRunBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
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
          checkout subscription checkout through the gateway (subscribe, a returning customer and a new one),
                   against the sandbox's own POST /v1/checkout/sessions for the same price; one call at a time
                   options: --calls <per kind> (400)  --warmup <calls per kind> (100)
          subscription-sync
                   Stripe subscription updates (quantity changes in the sandbox) at a steady rate: webhook
                   received -> Subscriptions row updated, against the Webhooks service's ingest -> publish
                   options: --subscriptions <n> (100)  --rate <updates/s> (100)  --seconds <measured> (20)  --warmup <seconds> (5)
                            --event-concurrency <Subscriptions' consumer concurrency> (the service's default)
          payouts  a weekly payout run (Connect's scheduler) over many creators, against the sandbox's
                   raw transfer-create rate in the same run
                   options: --creators <n> (10000)  --concurrency <creators at a time> (8)  --baseline-transfers <n> (3000)
          usage    ingestion through the gateway (batches of 1,000, 4 clients) against COPY of as many
                   rows; entitlement checks at a steady rate; GET /usage over 90 days x 4 meters
                   options: --seconds <ingestion> (10)  --warmup <s> (30)  --rate <checks/s> (500)  --checks <n> (5000)  --check-warmup <s> (10)
                            --history-events <n> (10000000)  --history-calls <n> (1000)
        """);
    return 2;
}
