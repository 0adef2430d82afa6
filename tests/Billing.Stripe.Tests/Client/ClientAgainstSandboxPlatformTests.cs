using System.Collections.Concurrent;
using System.Net;
using Billing.Stripe.Tests.Sandbox.Support;
using Billing.Stripe.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Stripe;
using Stripe.TestHelpers;
using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>
/// Connect, webhooks, test clocks, meter events, errors, retries and idempotency through Stripe.net
/// (registered as services register it) against the Stripe sandbox.
/// </summary>
public sealed class ClientAgainstSandboxPlatformTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    private readonly StripeClient _stripe = sandbox.Client;

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Connect_account_onboards_receives_a_transfer_and_scopes_calls_by_stripe_account()
    {
        var account = await _stripe.V1.Accounts.CreateAsync(new AccountCreateOptions
        {
            Type = "express",
            Country = "US",
            Email = Unique("creator") + "@example.com",
            Capabilities = new AccountCapabilitiesOptions
            {
                CardPayments = new AccountCapabilitiesCardPaymentsOptions { Requested = true },
                Transfers = new AccountCapabilitiesTransfersOptions { Requested = true },
            },
            Metadata = StripeConventions.AppMetadata("app_1"),
        });
        Assert.StartsWith("acct_", account.Id);
        Assert.False(account.ChargesEnabled);
        Assert.Equal("app_1", StripeConventions.AppIdOf(account));

        var link = await _stripe.V1.AccountLinks.CreateAsync(new AccountLinkCreateOptions
        {
            Account = account.Id,
            Type = "account_onboarding",
            RefreshUrl = "https://app.example/connect/refresh",
            ReturnUrl = "https://app.example/connect/done",
        });
        Assert.Equal("account_link", link.Object);
        Assert.True(link.ExpiresAt > link.Created);
        Assert.False(string.IsNullOrEmpty(link.Url));

        await _stripe.RawRequestAsync(HttpMethod.Post, $"/v1/test_helpers/accounts/{account.Id}/onboard");
        var onboarded = await _stripe.V1.Accounts.GetAsync(account.Id);
        Assert.True(onboarded.ChargesEnabled);
        Assert.True(onboarded.DetailsSubmitted);
        Assert.Equal("active", onboarded.Capabilities.Transfers);
        Assert.Empty(onboarded.Requirements!.CurrentlyDue);

        var group = Unique("payout");
        var transfer = await _stripe.V1.Transfers.CreateAsync(new TransferCreateOptions { Amount = 700, Currency = "usd", Destination = account.Id, TransferGroup = group },
            StripeConventions.Change(IdempotencyKeys.From("payout", group)));
        Assert.Equal(account.Id, transfer.DestinationId);
        Assert.Equal(700, (await _stripe.V1.Transfers.GetAsync(transfer.Id)).Amount);
        Assert.Equal(transfer.Id, Assert.Single((await _stripe.V1.Transfers.ListAsync(new TransferListOptions { TransferGroup = group })).Data).Id);

        var connectedCustomer = await _stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Name = "Buyer" },
            StripeConventions.Change(IdempotencyKeys.From("buyer", account.Id), account.Id));
        Assert.Equal("Buyer", (await _stripe.V1.Customers.GetAsync(connectedCustomer.Id, requestOptions: StripeConventions.Read(account.Id))).Name);
        var notOnPlatform = await Assert.ThrowsAsync<StripeException>(() => _stripe.V1.Customers.GetAsync(connectedCustomer.Id));
        Assert.Equal(HttpStatusCode.NotFound, notOnPlatform.HttpStatusCode);
    }

    [Fact]
    public void Stripe_account_must_be_a_connected_account_id()
    {
        Assert.Throws<ArgumentException>(() => StripeConventions.Read("cus_123"));
        Assert.Throws<ArgumentException>(() => StripeConventions.Change("key", "not-an-account"));
        Assert.Throws<ArgumentException>(() => StripeConventions.Change(""));
        Assert.Null(StripeConventions.Read().StripeAccount);
        Assert.Equal("acct_1", StripeConventions.Change("key", "acct_1").StripeAccount);
    }

    [Fact]
    public async Task Transfer_to_an_account_without_the_capability_is_an_invalid_request()
    {
        var account = await _stripe.V1.Accounts.CreateAsync(new AccountCreateOptions
        {
            Type = "express",
            Capabilities = new AccountCapabilitiesOptions { Transfers = new AccountCapabilitiesTransfersOptions { Requested = true } },
        });

        var error = await Assert.ThrowsAsync<StripeException>(() =>
            _stripe.V1.Transfers.CreateAsync(new TransferCreateOptions { Amount = 100, Currency = "usd", Destination = account.Id }));

        Assert.Equal("invalid_request_error", error.StripeError.Type);
        Assert.Equal("destination", error.StripeError.Param);
    }

    [Fact]
    public async Task Webhook_endpoint_lifecycle_and_a_delivery_that_verifies_with_its_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync("whsec_unknown_yet");
        var endpoint = await _stripe.V1.WebhookEndpoints.CreateAsync(new WebhookEndpointCreateOptions
        {
            Url = receiver.Url,
            EnabledEvents = ["customer.created"],
            Description = "client tests",
        });
        Assert.StartsWith("whsec_", endpoint.Secret);
        Assert.Equal("enabled", endpoint.Status);
        Assert.Equal(StripeConfiguration.ApiVersion, endpoint.ApiVersion);

        var customer = await _stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Email = Unique("hook") + "@example.com" },
            StripeConventions.Change(Unique("hook-key")));
        var delivery = (await receiver.WaitFor(r => r.Any(d => d.Body.Contains(customer.Id, StringComparison.Ordinal)), "the customer.created delivery"))
            .First(d => d.Body.Contains(customer.Id, StringComparison.Ordinal));

        // Stripe.net reads the sandbox's delivery: the signature, the pinned API version and the typed object.
        var stripeEvent = new StripeWebhookVerifier().ConstructEvent(delivery.Body, delivery.Header, ["whsec_old_of_a_roll", endpoint.Secret]);
        Assert.Equal("customer.created", stripeEvent.Type);
        Assert.Equal(customer.Id, ((Customer)stripeEvent.Data.Object).Id);
        Assert.StartsWith("req_", stripeEvent.Request!.Id);
        Assert.Equal(customer.Id, ((Customer)EventUtility.ConstructEvent(delivery.Body, delivery.Header, endpoint.Secret).Data.Object).Id);
        var wrong = Assert.Throws<StripeSignatureException>(() => new StripeWebhookVerifier().ConstructEvent(delivery.Body, delivery.Header, ["whsec_wrong"]));
        Assert.Equal(WebhookFailureReason.NoMatchingSignature, wrong.Reason);

        var disabled = await _stripe.V1.WebhookEndpoints.UpdateAsync(endpoint.Id, new WebhookEndpointUpdateOptions { Disabled = true });
        Assert.Equal("disabled", disabled.Status);
        Assert.Null((await _stripe.V1.WebhookEndpoints.GetAsync(endpoint.Id)).Secret);
        Assert.Contains((await _stripe.V1.WebhookEndpoints.ListAsync(new WebhookEndpointListOptions { Limit = 100 })).Data, e => e.Id == endpoint.Id);
        Assert.True((await _stripe.V1.WebhookEndpoints.DeleteAsync(endpoint.Id)).Deleted);
    }

    [Fact]
    public async Task Test_clock_advances_to_ready()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).UtcDateTime;
        var clock = await _stripe.V1.TestHelpers.TestClocks.CreateAsync(new TestClockCreateOptions { FrozenTime = start, Name = "renewals" });
        Assert.Equal(start, clock.FrozenTime);
        Assert.Equal("ready", clock.Status);

        var customer = await _stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { TestClock = clock.Id });
        Assert.Equal(clock.Id, customer.TestClockId);

        var target = start.AddDays(3);
        var advancing = await _stripe.V1.TestHelpers.TestClocks.AdvanceAsync(clock.Id, new TestClockAdvanceOptions { FrozenTime = target });
        Assert.Equal("advancing", advancing.Status);
        Assert.Equal(target, advancing.StatusDetails?.Advancing?.TargetFrozenTime);

        TestClock current;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        do
        {
            await Task.Delay(20);
            current = await _stripe.V1.TestHelpers.TestClocks.GetAsync(clock.Id);
        }
        while (current.Status == "advancing" && DateTime.UtcNow < deadline);
        Assert.Equal("ready", current.Status);
        Assert.Equal(target, current.FrozenTime);

        var backwards = await Assert.ThrowsAsync<StripeException>(() =>
            _stripe.V1.TestHelpers.TestClocks.AdvanceAsync(clock.Id, new TestClockAdvanceOptions { FrozenTime = start }));
        Assert.Equal("frozen_time", backwards.StripeError.Param);
        Assert.True((await _stripe.V1.TestHelpers.TestClocks.DeleteAsync(clock.Id)).Deleted);
    }

    [Fact]
    public async Task Meter_events_are_accepted_once_per_identifier()
    {
        var customer = await _stripe.V1.Customers.CreateAsync(new CustomerCreateOptions());
        var identifier = Unique("usage");
        var options = new global::Stripe.Billing.MeterEventCreateOptions
        {
            EventName = "api_calls",
            Identifier = identifier,
            Payload = new() { ["stripe_customer_id"] = customer.Id, ["value"] = "3" },
            Timestamp = DateTime.UtcNow.AddMinutes(-1),
        };

        var meterEvent = await _stripe.V1.Billing.MeterEvents.CreateAsync(options);
        Assert.Equal("billing.meter_event", meterEvent.Object);
        Assert.Equal(identifier, meterEvent.Identifier);
        Assert.Equal("3", meterEvent.Payload["value"]);

        var duplicate = await Assert.ThrowsAsync<StripeException>(() => _stripe.V1.Billing.MeterEvents.CreateAsync(options));
        Assert.Equal("resource_already_exists", duplicate.StripeError.Code);
    }

    [Fact]
    public async Task Missing_object_is_an_invalid_request_with_the_request_id_and_maps_to_stripe_error()
    {
        var error = await Assert.ThrowsAsync<StripeException>(() => _stripe.V1.Customers.GetAsync("cus_does_not_exist"));

        Assert.Equal(HttpStatusCode.NotFound, error.HttpStatusCode);
        Assert.Equal("resource_missing", error.StripeError.Code);
        Assert.Equal("invalid_request_error", error.StripeError.Type);
        Assert.StartsWith("req_", error.StripeResponse.RequestId);
        Assert.Contains("cus_does_not_exist", error.StripeError.Message);
        var problem = StripeErrors.ToProblem(error);
        Assert.Equal((502, "stripe_error"), (problem.Status, problem.Code));
        Assert.Equal("resource_missing", problem.Extensions["stripeCode"]);
        Assert.Contains("cus_does_not_exist", problem.Message);
    }

    [Fact]
    public async Task Unknown_and_missing_parameters_name_the_parameter()
    {
        var withUnknown = new CustomerCreateOptions();
        withUnknown.AddExtraParam("favourite_colour", "blue");
        var unknown = await Assert.ThrowsAsync<StripeException>(() => _stripe.V1.Customers.CreateAsync(withUnknown));
        var missing = await Assert.ThrowsAsync<StripeException>(() =>
            _stripe.V1.AccountLinks.CreateAsync(new AccountLinkCreateOptions { Account = "", Type = "account_onboarding" }));

        Assert.Equal("parameter_unknown", unknown.StripeError.Code);
        Assert.Equal("favourite_colour", unknown.StripeError.Param);
        Assert.Equal("invalid_request_error", missing.StripeError.Type);
        Assert.Equal("account", missing.StripeError.Param);
    }

    [Fact]
    public async Task Bad_api_key_is_an_authentication_error_and_is_not_retried()
    {
        var attempts = new AttemptRecorder();
        await using var services = sandbox.CreateServices("sk_live_not_a_test_key", below: attempts);

        var error = await Assert.ThrowsAsync<StripeException>(() => services.GetRequiredService<StripeClient>().V1.Customers.ListAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.HttpStatusCode);
        Assert.Single(attempts.Statuses);
    }

    [Fact]
    public async Task Same_idempotency_key_and_parameters_replay_the_first_result()
    {
        var options = StripeConventions.Change(IdempotencyKeys.From("customer", Unique("signup")));
        var create = new CustomerCreateOptions { Email = Unique("idem") + "@example.com" };

        var first = await _stripe.V1.Customers.CreateAsync(create, options);
        var second = await _stripe.V1.Customers.CreateAsync(create, options);

        Assert.Equal(first.Id, second.Id);
        Assert.False(first.StripeResponse.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.StripeResponse.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single((await _stripe.V1.Customers.ListAsync(new CustomerListOptions { Email = create.Email })).Data);
    }

    [Fact]
    public async Task Same_idempotency_key_with_other_parameters_is_an_idempotency_error()
    {
        var options = StripeConventions.Change(Unique("key"));
        await _stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Name = "first" }, options);

        var error = await Assert.ThrowsAsync<StripeException>(() => _stripe.V1.Customers.CreateAsync(new CustomerCreateOptions { Name = "second" }, options));

        Assert.Equal("idempotency_error", error.StripeError.Type);
    }

    [Fact]
    public async Task Without_a_natural_key_each_call_is_a_new_operation()
    {
        var create = new CustomerCreateOptions { Email = Unique("twice") + "@example.com" };

        var a = await _stripe.V1.Customers.CreateAsync(create);
        var b = await _stripe.V1.Customers.CreateAsync(create);

        Assert.NotEqual(a.Id, b.Id);
    }

    [Fact]
    public async Task A_post_retried_after_a_503_carries_the_same_idempotency_key_and_acts_once()
    {
        var attempts = new AttemptRecorder { FailFirst = 1 };
        await using var services = sandbox.CreateServices(below: attempts);
        var email = Unique("retried") + "@example.com";

        // No key of ours: the one Stripe.net adds to every POST is what makes the retry safe.
        var customer = await services.GetRequiredService<StripeClient>().V1.Customers.CreateAsync(new CustomerCreateOptions { Email = email });

        Assert.Equal([HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK], attempts.Statuses);
        var keys = attempts.IdempotencyKeys.ToList();
        Assert.Equal(2, keys.Count);
        Assert.False(string.IsNullOrEmpty(keys[0]));
        Assert.Equal(keys[0], keys[1]);
        Assert.Equal(customer.Id, Assert.Single((await _stripe.V1.Customers.ListAsync(new CustomerListOptions { Email = email })).Data).Id);
    }

    [Fact]
    public async Task Zero_retries_makes_one_attempt()
    {
        var attempts = new AttemptRecorder { FailFirst = 1 };
        await using var services = sandbox.CreateServices(retries: 0, below: attempts);

        var error = await Assert.ThrowsAsync<StripeException>(() => services.GetRequiredService<StripeClient>().V1.Customers.ListAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.HttpStatusCode);
        Assert.Single(attempts.Statuses);
    }

    [Fact]
    public async Task A_409_for_a_key_in_flight_is_retried_until_the_saved_answer_replays()
    {
        var state = sandbox.Services.GetRequiredService<Billing.StripeSandbox.State.SandboxState>();
        var idempotency = sandbox.Services.GetRequiredService<Billing.StripeSandbox.Wire.Idempotency>();
        var attempts = new AttemptRecorder();
        await using var services = sandbox.CreateServices(retries: 5, below: attempts);
        var client = services.GetRequiredService<StripeClient>();
        var options = StripeConventions.Change(Unique("in-flight"));
        var create = new CustomerCreateOptions { Email = Unique("race") + "@example.com" };

        Task<Customer> first, second;
        // A thread holding the sandbox's lock keeps the first request mid-execution, so its key is in flight.
        using var locked = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = new Thread(() => { lock (state.Gate) { locked.Set(); release.Wait(TimeSpan.FromSeconds(20)); } });
        holder.Start();
        locked.Wait();
        try
        {
            first = Task.Run(() => client.V1.Customers.CreateAsync(create, options));
            await Until(() => idempotency.InFlight > 0);
            second = Task.Run(() => client.V1.Customers.CreateAsync(create, options));
            await Until(() => attempts.Statuses.Contains(HttpStatusCode.Conflict));
        }
        finally
        {
            release.Set();
            holder.Join();
        }

        var (a, b) = (await first, await second);
        Assert.Equal(a.Id, b.Id);
        Assert.Equal("true", b.StripeResponse.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single((await _stripe.V1.Customers.ListAsync(new CustomerListOptions { Email = create.Email })).Data);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not hold within 10 s.");
            await Task.Delay(5);
        }
    }

    /// <summary>Below the resilience handler: sees every attempt; can answer the first ones with 503 itself.</summary>
    private sealed class AttemptRecorder : DelegatingHandler
    {
        private int _failed;

        public int FailFirst { get; init; }
        public ConcurrentQueue<HttpStatusCode> Statuses { get; } = new();
        public ConcurrentQueue<string?> IdempotencyKeys { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            IdempotencyKeys.Enqueue(request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null);
            if (Interlocked.Increment(ref _failed) <= FailFirst)
            {
                Statuses.Enqueue(HttpStatusCode.ServiceUnavailable);
                return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
                {
                    Content = new StringContent("""{"error":{"type":"api_error","message":"try again"}}""", System.Text.Encoding.UTF8, "application/json"),
                };
            }
            var response = await base.SendAsync(request, cancellationToken);
            Statuses.Enqueue(response.StatusCode);
            return response;
        }
    }
}
