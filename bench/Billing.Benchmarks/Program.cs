using Billing.Benchmarks;
using Billing.Benchmarks.Outbox;

// One command per benchmark; add a case for a new one.
return args switch
{
    ["outbox", .. var rest] => await OutboxLatencyBenchmark.RunAsync(BenchmarkArguments.Parse(rest)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/Billing.Benchmarks -- <benchmark> [options]

        benchmarks:
          outbox   commit-to-consumer latency through the outbox, against a direct Publish
                   options: --rate <messages/s> (500)  --seconds <measured> (10)  --warmup <seconds> (2)
                            --durable 1|0 (1: Postgres with fsync, as in production)
        """);
    return 2;
}
