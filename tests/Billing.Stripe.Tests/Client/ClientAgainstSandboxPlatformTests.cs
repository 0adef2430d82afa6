using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>
/// Connect, webhooks, test clocks, meter events, errors and idempotency through the typed
/// client against the Stripe sandbox.
/// </summary>
public sealed class ClientAgainstSandboxPlatformTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    private readonly StripeClient _stripe = sandbox.Client;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Connect_account_onboards_receives_a_transfer_and_scopes_calls_by_stripe_account()
    {
        var account = await _stripe.Accounts.CreateAsync(new AccountCreateRequest
        {
            Type = AccountType.Express,
            Country = "US",
            Email = Unique("creator") + "@example.com",
            Capabilities = new AccountCapabilitiesOptions { CardPayments = new(true), Transfers = new(true) },
            Metadata = new() { ["appId"] = "app_1" },
        });
        Assert.StartsWith("acct_", account.Id);
        Assert.False(account.ChargesEnabled);
        Assert.Equal("express", account.Controller?.StripeDashboard?.Type);

        var link = await _stripe.AccountLinks.CreateAsync(new AccountLinkCreateRequest
        {
            Account = account.Id,
            Type = AccountLinkType.AccountOnboarding,
            RefreshUrl = "https://app.example/connect/refresh",
            ReturnUrl = "https://app.example/connect/done",
        });
        Assert.Equal("account_link", link.Object);
        Assert.True(link.ExpiresAt > link.Created);
        Assert.False(string.IsNullOrEmpty(link.Url));

        await _stripe.RequestAsync<Account>(HttpMethod.Post, $"v1/test_helpers/accounts/{account.Id}/onboard");
        var onboarded = await _stripe.Accounts.GetAsync(account.Id);
        Assert.True(onboarded.ChargesEnabled);
        Assert.True(onboarded.DetailsSubmitted);
        Assert.Equal("active", onboarded.Capabilities["transfers"]);
        Assert.Empty(onboarded.Requirements!.CurrentlyDue);

        var group = Unique("payout");
        var transfer = await _stripe.Transfers.CreateAsync(new TransferCreateRequest { Amount = 700, Currency = "usd", Destination = account.Id, TransferGroup = group },
            new RequestOptions { IdempotencyKey = IdempotencyKeys.From("payout", group) });
        Assert.Equal(account.Id, transfer.Destination!.Id);
        Assert.Equal(700, (await _stripe.Transfers.GetAsync(transfer.Id)).Amount);
        Assert.Equal(transfer.Id, Assert.Single((await _stripe.Transfers.ListAsync(new TransferListRequest { TransferGroup = group })).Data).Id);

        var asConnected = new RequestOptions { StripeAccount = account.Id };
        var connectedCustomer = await _stripe.Customers.CreateAsync(new CustomerCreateRequest { Name = "Buyer" }, asConnected);
        Assert.Equal("Buyer", (await _stripe.Customers.GetAsync(connectedCustomer.Id, asConnected)).Name);
        var notOnPlatform = await Assert.ThrowsAsync<StripeException>(() => _stripe.Customers.GetAsync(connectedCustomer.Id));
        Assert.Equal(HttpStatusCode.NotFound, notOnPlatform.HttpStatus);
    }

    [Fact]
    public async Task Transfer_to_an_account_without_the_capability_is_an_invalid_request()
    {
        var account = await _stripe.Accounts.CreateAsync(new AccountCreateRequest { Type = AccountType.Express, Capabilities = new() { Transfers = new(true) } });

        var error = await Assert.ThrowsAsync<StripeException>(() =>
            _stripe.Transfers.CreateAsync(new TransferCreateRequest { Amount = 100, Currency = "usd", Destination = account.Id }));

        Assert.Equal(StripeErrorKind.InvalidRequest, error.Kind);
        Assert.Equal("destination", error.Param);
    }

    [Fact]
    public async Task Webhook_endpoint_lifecycle_and_a_delivery_that_verifies_with_its_secret()
    {
        await using var receiver = await ScriptedStripeServer.StartAsync();
        for (var i = 0; i < 50; i++)
            receiver.Respond(200, "{}");
        var endpoint = await _stripe.WebhookEndpoints.CreateAsync(new WebhookEndpointCreateRequest
        {
            Url = receiver.BaseUrl + "/webhooks/stripe",
            EnabledEvents = ["customer.created"],
            Description = "client tests",
        });
        Assert.StartsWith("whsec_", endpoint.Secret);
        Assert.Equal("enabled", endpoint.Status);

        var customer = await _stripe.Customers.CreateAsync(new CustomerCreateRequest { Email = Unique("hook") + "@example.com" },
            new RequestOptions { IdempotencyKey = Unique("hook-key") });
        var delivery = await WaitForAsync(() => receiver.Requests.FirstOrDefault(r => r.Body.Contains(customer.Id, StringComparison.Ordinal)));

        var stripeEvent = StripeWebhook.ConstructEvent(Encoding.UTF8.GetBytes(delivery.Body), delivery.Header("Stripe-Signature"), [endpoint.Secret!]);
        Assert.Equal("customer.created", stripeEvent.Type);
        Assert.Equal(customer.Id, stripeEvent.GetObject<Customer>().Id);
        Assert.StartsWith("req_", stripeEvent.Request!.Id);
        Assert.Throws<StripeSignatureException>(() =>
            StripeWebhook.ConstructEvent(Encoding.UTF8.GetBytes(delivery.Body), delivery.Header("Stripe-Signature"), ["whsec_wrong"]));

        var disabled = await _stripe.WebhookEndpoints.UpdateAsync(endpoint.Id, new WebhookEndpointUpdateRequest { Disabled = true });
        Assert.Equal("disabled", disabled.Status);
        Assert.Null((await _stripe.WebhookEndpoints.GetAsync(endpoint.Id)).Secret);
        Assert.Contains((await _stripe.WebhookEndpoints.ListAsync(new PageRequest { Limit = 100 })).Data, e => e.Id == endpoint.Id);
        Assert.True((await _stripe.WebhookEndpoints.DeleteAsync(endpoint.Id)).Deleted);
    }

    private static async Task<ReceivedRequest> WaitForAsync(Func<ReceivedRequest?> find)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            if (find() is { } found)
                return found;
            await Task.Delay(50);
        }
        throw new TimeoutException("No matching webhook delivery arrived within 15 s.");
    }

    [Fact]
    public async Task Test_clock_advances_to_ready()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var clock = await _stripe.TestClocks.CreateAsync(new TestClockCreateRequest { FrozenTime = start, Name = "renewals" });
        Assert.Equal(start, clock.FrozenTime);
        Assert.Equal("ready", clock.Status);
        var customer = await _stripe.Customers.CreateAsync(new CustomerCreateRequest { TestClock = clock.Id });
        Assert.Equal(clock.Id, customer.TestClock!.Id);

        var target = start.AddDays(3);
        var advancing = await _stripe.TestClocks.AdvanceAsync(clock.Id, new TestClockAdvanceRequest { FrozenTime = target });
        Assert.Equal("advancing", advancing.Status);
        Assert.Equal(target, advancing.StatusDetails?.Advancing?.TargetFrozenTime);

        TestClock current;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        do
        {
            await Task.Delay(20);
            current = await _stripe.TestClocks.GetAsync(clock.Id);
        }
        while (current.Status == "advancing" && DateTime.UtcNow < deadline);
        Assert.Equal("ready", current.Status);
        Assert.Equal(target, current.FrozenTime);

        var backwards = await Assert.ThrowsAsync<StripeException>(() => _stripe.TestClocks.AdvanceAsync(clock.Id, new TestClockAdvanceRequest { FrozenTime = start }));
        Assert.Equal("frozen_time", backwards.Param);
        Assert.True((await _stripe.TestClocks.DeleteAsync(clock.Id)).Deleted);
    }

    [Fact]
    public async Task Meter_events_are_accepted_once_per_identifier()
    {
        var customer = await _stripe.Customers.CreateAsync(new CustomerCreateRequest());
        var identifier = Unique("usage");
        var request = new MeterEventCreateRequest
        {
            EventName = "api_calls",
            Identifier = identifier,
            Payload = new() { ["stripe_customer_id"] = customer.Id, ["value"] = "3" },
            Timestamp = DateTimeOffset.UtcNow.AddMinutes(-1),
        };

        var meterEvent = await _stripe.MeterEvents.CreateAsync(request);

        Assert.Equal("billing.meter_event", meterEvent.Object);
        Assert.Equal(identifier, meterEvent.Identifier);
        Assert.Equal("3", meterEvent.Payload["value"]);
        var duplicate = await Assert.ThrowsAsync<StripeException>(() => _stripe.MeterEvents.CreateAsync(request));
        Assert.Equal("resource_already_exists", duplicate.Code);
    }

    [Fact]
    public async Task Missing_object_is_a_typed_invalid_request_with_the_request_id()
    {
        var error = await Assert.ThrowsAsync<StripeException>(() => _stripe.Customers.GetAsync("cus_does_not_exist"));

        Assert.Equal(StripeErrorKind.InvalidRequest, error.Kind);
        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatus);
        Assert.Equal("resource_missing", error.Code);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.StartsWith("req_", error.RequestId);
        Assert.Contains("cus_does_not_exist", error.StripeMessage);
    }

    [Fact]
    public async Task Unknown_and_missing_parameters_name_the_parameter()
    {
        var unknown = await Assert.ThrowsAsync<StripeException>(() =>
            _stripe.Customers.CreateAsync(new CustomerCreateRequest { ExtraParams = new() { ["favourite_colour"] = "blue" } }));
        var missing = await Assert.ThrowsAsync<StripeException>(() =>
            _stripe.AccountLinks.CreateAsync(new AccountLinkCreateRequest { Account = "", Type = AccountLinkType.AccountOnboarding }));

        Assert.Equal("parameter_unknown", unknown.Code);
        Assert.Equal("favourite_colour", unknown.Param);
        Assert.Equal(StripeErrorKind.InvalidRequest, missing.Kind);
        Assert.Equal("account", missing.Param);
    }

    [Fact]
    public async Task Bad_api_key_is_an_authentication_error()
    {
        var client = sandbox.CreateClient("sk_live_not_a_test_key");

        var error = await Assert.ThrowsAsync<StripeException>(() => client.Customers.ListAsync());

        Assert.Equal(StripeErrorKind.Authentication, error.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, error.HttpStatus);
    }

    [Fact]
    public async Task Same_idempotency_key_and_parameters_replay_the_first_result()
    {
        var options = new RequestOptions { IdempotencyKey = IdempotencyKeys.From("customer", Unique("signup")) };
        var request = new CustomerCreateRequest { Email = Unique("idem") + "@example.com" };

        var first = await _stripe.SendAsync(HttpMethod.Post, "v1/customers", request, options);
        var second = await _stripe.SendAsync(HttpMethod.Post, "v1/customers", request, options);

        Assert.False(first.IdempotentReplayed);
        Assert.True(second.IdempotentReplayed);
        Assert.Equal(first.Body, second.Body);
        Assert.Single((await _stripe.Customers.ListAsync(new CustomerListRequest { Email = request.Email })).Data);
    }

    [Fact]
    public async Task A_409_for_a_key_in_flight_is_retried_until_the_saved_answer_replays()
    {
        var state = sandbox.Services.GetRequiredService<Billing.StripeSandbox.State.SandboxState>();
        var idempotency = sandbox.Services.GetRequiredService<Billing.StripeSandbox.Wire.Idempotency>();
        var statuses = new StatusRecorder();
        var client = sandbox.CreateClient(configure: o => { o.InitialRetryDelay = TimeSpan.FromMilliseconds(50); o.MaxNetworkRetries = 5; }, handler: statuses);
        var options = new RequestOptions { IdempotencyKey = Unique("in-flight") };
        var request = new CustomerCreateRequest { Email = Unique("race") + "@example.com" };

        Task<StripeResponse> first, second;
        // A thread holding the sandbox's lock keeps the first request mid-execution, so its key is in flight.
        using var locked = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = new Thread(() => { lock (state.Gate) { locked.Set(); release.Wait(TimeSpan.FromSeconds(20)); } });
        holder.Start();
        locked.Wait();
        try
        {
            first = Task.Run(() => client.SendAsync(HttpMethod.Post, "v1/customers", request, options));
            await Until(() => idempotency.InFlight > 0);
            second = Task.Run(() => client.SendAsync(HttpMethod.Post, "v1/customers", request, options));
            await Until(() => statuses.Seen(HttpStatusCode.Conflict));
        }
        finally
        {
            release.Set();
            holder.Join();
        }

        var (a, b) = (await first, await second);
        Assert.Equal(1, a.Attempts);
        Assert.True(b.Attempts >= 2, $"second call took {b.Attempts} attempt(s)");
        Assert.True(b.IdempotentReplayed);
        Assert.Equal(a.Body, b.Body);
        Assert.Single((await _stripe.Customers.ListAsync(new CustomerListRequest { Email = request.Email })).Data);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The condition did not hold within 10 s.");
            await Task.Delay(5);
        }
    }

    /// <summary>Notes every status the client receives, below its retry logic.</summary>
    private sealed class StatusRecorder() : DelegatingHandler(new SocketsHttpHandler())
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<HttpStatusCode> _statuses = [];

        public bool Seen(HttpStatusCode status) => _statuses.Contains(status);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            _statuses.Add(response.StatusCode);
            return response;
        }
    }

    [Fact]
    public async Task Same_idempotency_key_with_other_parameters_is_an_idempotency_error()
    {
        var options = new RequestOptions { IdempotencyKey = Unique("key") };
        await _stripe.Customers.CreateAsync(new CustomerCreateRequest { Name = "first" }, options);

        var error = await Assert.ThrowsAsync<StripeException>(() => _stripe.Customers.CreateAsync(new CustomerCreateRequest { Name = "second" }, options));

        Assert.Equal(StripeErrorKind.Idempotency, error.Kind);
        Assert.Equal("idempotency_error", error.Type);
    }

    [Fact]
    public async Task Without_a_natural_key_each_call_is_a_new_operation()
    {
        var request = new CustomerCreateRequest { Email = Unique("twice") + "@example.com" };

        var a = await _stripe.Customers.CreateAsync(request);
        var b = await _stripe.Customers.CreateAsync(request);

        Assert.NotEqual(a.Id, b.Id);
    }
}
