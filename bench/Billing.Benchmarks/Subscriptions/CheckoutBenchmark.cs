using System.Diagnostics;
using Billing.Benchmarks.Infrastructure;
using Billing.Stripe;
using Stripe;
using Stripe.Checkout;

namespace Billing.Benchmarks.Subscriptions;

/// <summary>
/// Subscription checkout creation through the gateway (<c>POST /v1/{appId}/billing/subscribe</c>, a new
/// customer each call, so each call finds-or-creates the customer, creates its Stripe customer and
/// opens a Checkout Session) against the sandbox's own <c>POST /v1/checkout/sessions</c> for the same
/// price (Stripe.net, as the service calls it) in the same run. One call at a time, phases alternating,
/// after a warm-up. Target: gateway p50 at most 2x the sandbox's.
/// </summary>
public static class CheckoutBenchmark
{
    private const double TargetRatio = 2.0;

    public static async Task<int> RunAsync(BenchmarkArguments arguments)
    {
        var calls = arguments.Int("calls", 400);
        var warmup = arguments.Int("warmup", 100);
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

        Console.WriteLine("warming up ...");
        await SequentialAsync(Gateway, warmup);
        await SequentialAsync(Baseline, warmup);
        await SequentialAsync(CustomerAndSession, warmup / 2);
        await SequentialAsync(Direct, warmup / 2);

        var gateway = new List<long>();
        var sandbox = new List<long>();
        var both = new List<long>();
        var straight = new List<long>();
        for (var round = 0; round < rounds; round++)
        {
            gateway.AddRange(await SequentialAsync(Gateway, calls / rounds));
            sandbox.AddRange(await SequentialAsync(Baseline, calls / rounds));
            both.AddRange(await SequentialAsync(CustomerAndSession, calls / rounds / 2));
            straight.AddRange(await SequentialAsync(Direct, calls / rounds / 2));
        }

        var viaGateway = new Latencies(gateway);
        var direct = new Latencies(sandbox);
        var ratio = viaGateway.Percentile(50) / direct.Percentile(50);
        Console.WriteLine();
        Console.WriteLine($"sandbox POST /v1/checkout/sessions (baseline) : {Summary(direct)}");
        Console.WriteLine($"sandbox customer + session (first checkout)   : {Summary(new Latencies(both))}");
        Console.WriteLine($"subscribe straight to Subscriptions (no gateway): {Summary(new Latencies(straight))}");
        Console.WriteLine($"subscribe through the gateway, new customer   : {Summary(viaGateway)}");
        Console.WriteLine($"p50 ratio gateway/sandbox                      : x{ratio:0.00} (target <= x{TargetRatio:0})");
        Console.WriteLine($"machine load average after the run: {Load.Average()}");
        var met = ratio <= TargetRatio;
        Console.WriteLine($"target: {(met ? "met" : "NOT met")}");
        return met ? 0 : 1;
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
