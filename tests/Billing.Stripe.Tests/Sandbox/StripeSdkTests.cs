using System.Diagnostics;
using System.Text.Json.Nodes;
using Billing.Stripe.Tests.Sandbox.Support;
using Xunit;

namespace Billing.Stripe.Tests.Sandbox;

/// <summary>The official stripe npm SDK (tests/stripe-sdk, pinned) talking to an in-process sandbox.</summary>
public sealed class StripeSdkTests
{
    [Fact]
    public async Task The_official_node_SDK_runs_a_subscription_checkout_and_verifies_its_webhook()
    {
        var folder = Path.Combine(RepoPaths.Root, "tests", "stripe-sdk");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "stripe")),
            "tests/stripe-sdk/node_modules is missing: run build/setup.sh --browser (npm ci).");
        await using var host = await SandboxHost.StartAsync();

        var start = new ProcessStartInfo("node", "sdk-flow.js")
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        start.Environment["SANDBOX_URL"] = host.BaseUrl;
        start.Environment["STRIPE_KEY"] = "sk_test_node_sdk";
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {await stderr}");

        var result = JsonNode.Parse(await stdout)!;
        var subscriptionId = result["subscription"]!["id"]!.GetValue<string>();
        Assert.StartsWith("sub_", subscriptionId);
        Assert.Equal("trialing", result["subscription"]!["status"]!.GetValue<string>());
        Assert.Equal("app_sdk", result["subscription"]!["metadata"]!["app_id"]!.GetValue<string>());
        Assert.Equal(result["customer"]!.GetValue<string>(), result["subscription"]!["customer"]!.GetValue<string>());
        Assert.Equal("complete", result["session"]!["status"]!.GetValue<string>());
        Assert.StartsWith(host.BaseUrl + "/checkout/cs_test_", result["session"]!["url"]!.GetValue<string>());
        Assert.Equal(1, result["session"]!["line_items"]!.GetValue<int>());
        Assert.Equal([subscriptionId], result["listed"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Contains("customer.subscription.created", result["event_types"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("resource_missing", result["not_found"]!["code"]!.GetValue<string>());
        Assert.Equal(404, result["not_found"]!["status"]!.GetValue<int>());

        // The sandbox's webhook passed the SDK's own signature check (stripe.webhooks.constructEvent).
        Assert.Equal("checkout.session.completed", result["webhook"]!["type"]!.GetValue<string>());
        Assert.Equal(result["session"]!["id"]!.GetValue<string>(), result["webhook"]!["session"]!.GetValue<string>());
        Assert.True(result["forged_signature_rejected"]!.GetValue<bool>());

        // What the SDK did is really in the sandbox's state.
        var sub = await host.Stripe.Fetch($"/v1/subscriptions/{subscriptionId}");
        Assert.Equal(result["subscription"]!["price"]!.GetValue<string>(), sub["items"]!["data"]![0]!["price"]!["id"]!.GetValue<string>());
    }
}
