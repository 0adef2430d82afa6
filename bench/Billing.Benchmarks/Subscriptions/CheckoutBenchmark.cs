using System.Diagnostics;
using Billing.Benchmarks.Infrastructure;
using Billing.Stripe;
using Billing.Subscriptions;
using Stripe;
using Stripe.Checkout;

namespace Billing.Benchmarks.Subscriptions;

/// <summary>
/// Subscription checkout creation through the gateway (<c>POST /v1/{appId}/billing/subscribe</c>) against the
/// sandbox's own <c>POST /v1/checkout/sessions</c> for the same price (Stripe.net, as the service calls it) in the
/// same run, for two kinds of customer: a returning one (its Stripe customer made by an earlier checkout that
/// expired unpaid: the call asks Stripe for one session, as the baseline does) and a new one (the call also
/// creates the customer and its Stripe customer: two Stripe calls, shown next to the sandbox's customer + session).
/// One call at a time, phases alternating, after a warm-up. Target: the returning customer's p50 at most 2x the
/// sandbox's session create.
/// </summary>
public static class CheckoutBenchmark
{
    private const double TargetRatio = 2.0;

    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var calls = arguments.Int("calls", 400);
        var warmup = arguments.Int("warmup", 100);
        var spans = arguments.Int("spans", 0) == 1;
        const int rounds = 4;
        Console.WriteLine($"checkout benchmark: {warmup} warm-up calls of each kind, then {calls} sequential calls of each, alternating in {rounds} rounds");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {Load.Average()}");
        // As the webhooks benchmark: the sandbox, services and load generator share this process's pool.
        ThreadPool.SetMinThreads(64, 64);
        await using var stack = await BillingStack.StartAsync();

        // The baseline calls the sandbox as the Subscriptions service does: Stripe.net, the same session fields.
        var stripe = new StripeClient(BillingStack.StripeKey, apiBase: stack.Sandbox.Address.GetLeftPart(UriPartial.Authority));
        var customer = await stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "baseline@example.com" });
        Task Baseline() => stripe.V1.Checkout.Sessions.CreateAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            Customer = customer.Id,
            LineItems = [new SessionLineItemOptions { Price = stack.StripePriceId, Quantity = 1 }],
            SuccessUrl = BillingStack.SuccessUrl,
            CancelUrl = BillingStack.CancelUrl,
            ClientReferenceId = "cus_baseline",
            Metadata = StripeConventions.AppMetadata(stack.Tenant.AppId, new Dictionary<string, string> { ["plan_id"] = stack.PlanId }),
            SubscriptionData = new SessionSubscriptionDataOptions
            {
                Metadata = StripeConventions.AppMetadata(stack.Tenant.AppId, new Dictionary<string, string> { ["plan_id"] = stack.PlanId }),
            },
        }, StripeConventions.Change(IdempotencyKeys.From("checkout", "chk_" + Guid.NewGuid().ToString("N"))));
        // What a first checkout asks of Stripe: the customer, then the session (shown, not a target).
        async Task CustomerAndSession()
        {
            await stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = "first@example.com" });
            await Baseline();
        }
        Task Gateway() => stack.SubscribeNewCustomerAsync();
        using var service = stack.DirectSubscriptionsClient();
        Task Direct() => stack.SubscribeNewCustomerAsync(service);
        var returning = await ReturningCustomersAsync(stack, warmup + 2 * (calls / rounds * rounds));
        Task Returning() => stack.SubscribeAsync(returning.Dequeue());
        Task ReturningDirect() => stack.SubscribeAsync(returning.Dequeue(), service);
        await using var inserts = await DurableInserts.CreateAsync(stack.Servers.Database(SubscriptionsService.Name), SubscriptionsService.Name);

        Console.WriteLine("warming up ...");
        await SequentialAsync(Returning, warmup);
        await SequentialAsync(Gateway, warmup);
        await SequentialAsync(Baseline, warmup);
        await SequentialAsync(CustomerAndSession, warmup / 2);
        await SequentialAsync(Direct, warmup / 2);
        await SequentialAsync(inserts.InsertAsync, warmup);

        var again = new List<long>();
        var gateway = new List<long>();
        var sandbox = new List<long>();
        var both = new List<long>();
        var straight = new List<long>();
        var againDirect = new List<long>();
        var inserted = new List<long>();
        using var timeline = spans ? new SpanTimeline() : null;
        var cpu = stack.Cpu();
        // What the stack burns with no call in flight (relays, pollers, timers): the share of the CPU per call that is not the call's.
        var idleStart = cpu.Snapshot();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var idle = CpuUsage.PerEvent(idleStart, cpu.Snapshot(), 2);
        Dictionary<string, TimeSpan>? againCpu = null;
        for (var round = 0; round < rounds; round++)
        {
            var before = cpu.Snapshot();
            if (timeline is not null) timeline.Recording = true;
            again.AddRange(await SequentialAsync(Returning, calls / rounds));
            if (timeline is not null) timeline.Recording = false;
            againCpu = CpuUsage.Add(againCpu, before, cpu.Snapshot());
            againDirect.AddRange(await SequentialAsync(ReturningDirect, calls / rounds));
            inserted.AddRange(await SequentialAsync(inserts.InsertAsync, calls / rounds));
            gateway.AddRange(await SequentialAsync(Gateway, calls / rounds));
            sandbox.AddRange(await SequentialAsync(Baseline, calls / rounds));
            both.AddRange(await SequentialAsync(CustomerAndSession, calls / rounds / 2));
            straight.AddRange(await SequentialAsync(Direct, calls / rounds / 2));
        }

        var viaGateway = new Latencies(gateway);
        var returned = new Latencies(again);
        var direct = new Latencies(sandbox);
        var firstCalls = new Latencies(both);
        var ratio = returned.Percentile(50) / direct.Percentile(50);
        var straightReturned = new Latencies(againDirect);
        var insert = new Latencies(inserted);
        var gatewayShare = returned.Percentile(50) - straightReturned.Percentile(50);
        var floor = direct.Percentile(50) + Math.Max(0, gatewayShare) + insert.Percentile(50);
        Console.WriteLine();
        Console.WriteLine($"sandbox POST /v1/checkout/sessions (baseline)          : {Summary(direct)}");
        Console.WriteLine($"subscribe through the gateway, returning customer      : {Summary(returned)}");
        Console.WriteLine($"  p50 ratio returning / session create                 : x{ratio:0.00} (target <= x{TargetRatio:0})");
        Console.WriteLine($"  CPU per returning customer's call                    : {CpuUsage.PerEvent(againCpu!.Keys.ToDictionary(k => k, _ => TimeSpan.Zero), againCpu, again.Count)}");
        Console.WriteLine($"  CPU per second with no call in flight                : {idle}");
        Console.WriteLine($"subscribe straight to Subscriptions, returning customer: {Summary(straightReturned)}");
        Console.WriteLine($"  the gateway's share (p50 through it - p50 straight)  : {gatewayShare:0.00} ms");
        Console.WriteLine($"one durable single-row insert (autocommit), same db    : {Summary(insert)}");
        Console.WriteLine($"  floor: session create + gateway's share + one insert : {floor:0.00} ms = x{floor / direct.Percentile(50):0.00} the baseline (the call needs all three)");
        Console.WriteLine($"sandbox customer + session (a first checkout's calls)  : {Summary(firstCalls)}");
        Console.WriteLine($"subscribe through the gateway, new customer            : {Summary(viaGateway)}");
        Console.WriteLine($"  p50 ratio new / session create                       : x{viaGateway.Percentile(50) / direct.Percentile(50):0.00}");
        Console.WriteLine($"  p50 ratio new / customer + session                   : x{viaGateway.Percentile(50) / firstCalls.Percentile(50):0.00}");
        Console.WriteLine($"subscribe straight to Subscriptions, new customer      : {Summary(new Latencies(straight))}");
        Console.WriteLine($"machine load average after the run: {Load.Average()}");
        timeline?.PrintMedianTrace();
        var met = ratio <= TargetRatio;
        Console.WriteLine($"target: {(met ? "met" : "NOT met")}");
        return met ? 0 : 1;
    }

    /// <summary>
    /// Customers who checked out once and left without paying: each has its Stripe customer, and its session
    /// expired (in the sandbox, and in Subscriptions through the <c>checkout.session.expired</c> webhook). Their
    /// next subscribe opens a new session with one Stripe call, as a returning customer's does.
    /// </summary>
    private static async Task<Queue<string>> ReturningCustomersAsync(BillingStack stack, int count)
    {
        Console.WriteLine($"making {count} returning customers (a checkout each, expired unpaid) ...");
        var customers = Enumerable.Range(0, count).Select(_ => "returning-" + Guid.NewGuid().ToString("N")).ToList();
        var sessions = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            sessions[i] = (await stack.SubscribeAsync(customers[i])).GetProperty("sessionId").GetString()!;
            await stack.StripePostAsync($"/v1/checkout/sessions/{sessions[i]}/expire");
        });
        await BillingStack.UntilAsync("the expired checkouts in Subscriptions", async () =>
        {
            await using var open = stack.SubscriptionsDb.CreateCommand(
                "select count(*) from subscriptions.checkout_sessions where status = 'open' and stripe_session_id = any($1)");
            open.Parameters.Add(new Npgsql.NpgsqlParameter { Value = sessions });
            return (long)(await open.ExecuteScalarAsync())! == 0;
        }, seconds: 120);
        return new Queue<string>(customers);
    }

    private static string Summary(Latencies l) =>
        $"n={l.Count,4}  p50={l.Percentile(50),7:0.00} ms  p95={l.Percentile(95),7:0.00} ms  p99={l.Percentile(99),7:0.00} ms";

    private static async Task<List<long>> SequentialAsync(Func<Task> call, int count)
    {
        var samples = new List<long>(count);
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call();
            samples.Add(Stopwatch.GetTimestamp() - start);
        }
        return samples;
    }
}
