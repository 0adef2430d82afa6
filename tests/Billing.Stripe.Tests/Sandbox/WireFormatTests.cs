using Xunit;
using System.Net.Http.Headers;
using System.Text;
using Billing.Stripe.Tests.Sandbox.Support;

namespace Billing.Stripe.Tests.Sandbox;

public sealed class WireFormatTests(SharedSandbox sandbox) : IClassFixture<SharedSandbox>
{
    StripeHttp Stripe => sandbox.Stripe;

    [Fact]
    public async Task Requests_without_a_valid_secret_key_get_401_with_an_error_object()
    {
        var none = await Stripe.Send(HttpMethod.Get, "/v1/customers", [], authorization: null);
        var publishable = await Stripe.Send(HttpMethod.Get, "/v1/customers", [], authorization: "Bearer pk_test_abc123");
        var live = await Stripe.Send(HttpMethod.Get, "/v1/customers", [], authorization: "Bearer sk_live_abc123");

        foreach (var reply in new[] { none, publishable, live })
        {
            Assert.Equal(401, reply.Status);
            Assert.Equal("invalid_request_error", reply.Body["error"]!["type"].Str());
            Assert.StartsWith("req_", reply.Header("Request-Id"));
        }
    }

    [Fact]
    public async Task Basic_auth_with_the_key_as_user_name_is_accepted()
    {
        var basic = "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("sk_test_basic_user:"));
        var reply = await Stripe.Send(HttpMethod.Post, "/v1/customers", [("email", "basic@example.com")], authorization: basic);
        Assert.Equal(200, reply.Status);
        Assert.StartsWith("cus_", reply.Id);
    }

    [Fact]
    public async Task Nested_form_params_and_expand_round_trip()
    {
        var customer = await Stripe.Create("/v1/customers", ("email", "nested@example.com"), ("address[city]", "Lyon"),
            ("address[country]", "FR"), ("metadata[app]", "app_1"), ("metadata[tier]", "pro"));
        Assert.Equal("Lyon", customer["address"]!["city"].Str());
        Assert.Equal("pro", customer["metadata"]!["tier"].Str());
        Assert.False(customer["livemode"]!.GetValue<bool>());

        var cleared = await Stripe.Create($"/v1/customers/{customer.Id()}", ("metadata[tier]", ""));
        Assert.False(cleared["metadata"]!.AsObject().ContainsKey("tier"));
        Assert.Equal("app_1", cleared["metadata"]!["app"].Str());

        var withSubs = await Stripe.Fetch($"/v1/customers/{customer.Id()}", ("expand[]", "subscriptions"));
        Assert.Equal("list", withSubs["subscriptions"]!["object"].Str());
    }

    [Fact]
    public async Task Bad_params_get_Stripe_error_codes_and_statuses()
    {
        var unknown = await Stripe.Post("/v1/customers", ("emial", "x@example.com"));
        Assert.Equal(400, unknown.Status);
        Assert.Equal("parameter_unknown", unknown.Body["error"]!["code"].Str());
        Assert.Equal("emial", unknown.Body["error"]!["param"].Str());

        var missing = await Stripe.Post("/v1/products");
        Assert.Equal(400, missing.Status);
        Assert.Equal("parameter_missing", missing.Body["error"]!["code"].Str());
        Assert.Equal("name", missing.Body["error"]!["param"].Str());

        var notInteger = await Stripe.Post("/v1/prices", ("product_data[name]", "x"), ("currency", "usd"), ("unit_amount", "ten"));
        Assert.Equal("parameter_invalid_integer", notInteger.Body["error"]!["code"].Str());

        var absent = await Stripe.Get("/v1/customers/cus_doesnotexist");
        Assert.Equal(404, absent.Status);
        Assert.Equal("resource_missing", absent.Body["error"]!["code"].Str());
        Assert.Equal("id", absent.Body["error"]!["param"].Str());

        Assert.Equal("false", missing.Header("Stripe-Should-Retry"));
        var route = await Stripe.Get("/v1/nothing_here");
        Assert.Equal(404, route.Status);
        Assert.Equal("invalid_request_error", route.Body["error"]!["type"].Str());
    }

    [Fact]
    public async Task Lists_page_newest_first_with_cursors_and_created_filters()
    {
        var email = $"page-{Guid.NewGuid():N}@example.com";
        var ids = new List<string>();
        for (var i = 0; i < 5; i++) ids.Add((await Stripe.Create("/v1/customers", ("email", email))).Id());
        ids.Reverse(); // newest first

        var first = await Stripe.Fetch("/v1/customers", ("email", email), ("limit", "2"));
        Assert.Equal(ids[..2], first["data"]!.AsArray().Select(c => c!["id"].Str()));
        Assert.True(first["has_more"]!.GetValue<bool>());
        Assert.Equal("/v1/customers", first["url"].Str());

        var second = await Stripe.Fetch("/v1/customers", ("email", email), ("limit", "2"), ("starting_after", ids[1]));
        Assert.Equal(ids[2..4], second["data"]!.AsArray().Select(c => c!["id"].Str()));

        var last = await Stripe.Fetch("/v1/customers", ("email", email), ("limit", "2"), ("starting_after", ids[3]));
        Assert.Equal([ids[4]], last["data"]!.AsArray().Select(c => c!["id"].Str()));
        Assert.False(last["has_more"]!.GetValue<bool>());

        var back = await Stripe.Fetch("/v1/customers", ("email", email), ("limit", "2"), ("ending_before", ids[4]));
        Assert.Equal(ids[2..4], back["data"]!.AsArray().Select(c => c!["id"].Str()));

        var created = (await Stripe.Fetch($"/v1/customers/{ids[0]}"))["created"].Long();
        var future = await Stripe.Fetch("/v1/customers", ("email", email), ("created[gt]", (created + 10).ToString()));
        Assert.Empty(future["data"]!.AsArray());
        var past = await Stripe.Fetch("/v1/customers", ("email", email), ("created[lte]", (created + 10).ToString()), ("limit", "100"));
        Assert.Equal(5, past["data"]!.AsArray().Count);

        var tooMany = await Stripe.Get("/v1/customers", ("limit", "101"));
        Assert.Equal(400, tooMany.Status);
    }

    [Fact]
    public async Task Same_idempotency_key_and_params_replays_the_first_response()
    {
        var key = Guid.NewGuid().ToString();
        var first = await Stripe.Send(HttpMethod.Post, "/v1/customers", [("email", "idem@example.com")], idempotencyKey: key);
        var again = await Stripe.Send(HttpMethod.Post, "/v1/customers", [("email", "idem@example.com")], idempotencyKey: key);

        Assert.Equal(200, again.Status);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal("true", again.Header("Idempotent-Replayed"));
        Assert.Equal("", first.Header("Idempotent-Replayed"));
        Assert.Equal(key, again.Header("Idempotency-Key"));
        var events = await Stripe.EventsFor(first.Id);
        var created = Assert.Single(events, e => e["type"].Str() == "customer.created");
        Assert.Equal(key, created["request"]!["idempotency_key"].Str());
        Assert.Equal(first.Header("Request-Id"), created["request"]!["id"].Str());
    }

    [Fact]
    public async Task Same_idempotency_key_with_different_params_is_an_idempotency_error()
    {
        var key = Guid.NewGuid().ToString();
        await Stripe.Send(HttpMethod.Post, "/v1/customers", [("email", "one@example.com")], idempotencyKey: key);
        var other = await Stripe.Send(HttpMethod.Post, "/v1/customers", [("email", "two@example.com")], idempotencyKey: key);
        Assert.Equal(400, other.Status);
        Assert.Equal("idempotency_error", other.Body["error"]!["type"].Str());
    }

    [Fact]
    public async Task A_key_whose_first_request_is_still_running_gets_409()
    {
        var state = sandbox.Host.Service<Billing.StripeSandbox.State.SandboxState>();
        var key = Guid.NewGuid().ToString();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // Hold the sandbox's lock so the first request is stuck mid-execution.
        var holder = new Thread(() => { lock (state.Gate) { entered.Set(); release.Wait(); } });
        holder.Start();
        entered.Wait();
        var first = Stripe.Send(HttpMethod.Post, "/v1/customers", [("email", "slow@example.com")], idempotencyKey: key);
        var idempotency = sandbox.Host.Service<Billing.StripeSandbox.Wire.Idempotency>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (idempotency.InFlight == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        var second = await Stripe.Send(HttpMethod.Post, "/v1/customers", [("email", "slow@example.com")], idempotencyKey: key);
        release.Set();
        holder.Join();

        Assert.Equal(409, second.Status);
        Assert.Equal("idempotency_key_in_use", second.Body["error"]!["code"].Str());
        Assert.Equal(200, (await first).Status);
        var replay = await Stripe.Send(HttpMethod.Post, "/v1/customers", [("email", "slow@example.com")], idempotencyKey: key);
        Assert.Equal((await first).Id, replay.Id);
    }

    [Fact]
    public async Task A_deleted_customer_answers_with_the_deleted_stub_and_leaves_lists()
    {
        var email = $"gone-{Guid.NewGuid():N}@example.com";
        var customer = await Stripe.Create("/v1/customers", ("email", email));
        var deleted = await Stripe.Delete($"/v1/customers/{customer.Id()}");
        Assert.True(deleted.Body["deleted"]!.GetValue<bool>());
        var after = await Stripe.Get($"/v1/customers/{customer.Id()}");
        Assert.Equal(200, after.Status);
        Assert.True(after.Body["deleted"]!.GetValue<bool>());
        Assert.Empty((await Stripe.Fetch("/v1/customers", ("email", email)))["data"]!.AsArray());
        Assert.Equal(404, (await Stripe.Post($"/v1/customers/{customer.Id()}", ("name", "x"))).Status);
        Assert.Contains(await Stripe.EventsFor(customer.Id()), e => e["type"].Str() == "customer.deleted");
    }

    [Fact]
    public async Task Prices_filter_by_lookup_key_and_move_keys_only_when_asked()
    {
        var key = "pro_monthly_" + Guid.NewGuid().ToString("N")[..8];
        var (product, monthly, _) = await Fixtures.Plan(Stripe);
        await Stripe.Create($"/v1/prices/{monthly}", ("lookup_key", key));
        var clash = await Stripe.Post("/v1/prices", ("product", product), ("currency", "usd"), ("unit_amount", "1200"),
            ("recurring[interval]", "month"), ("lookup_key", key));
        Assert.Equal(400, clash.Status);
        var moved = await Stripe.Create("/v1/prices", ("product", product), ("currency", "usd"), ("unit_amount", "1200"),
            ("recurring[interval]", "month"), ("lookup_key", key), ("transfer_lookup_key", "true"));

        var found = await Stripe.Fetch("/v1/prices", ("lookup_keys[]", key));
        Assert.Equal(moved.Id(), Assert.Single(found["data"]!.AsArray())!["id"].Str());
        var recurring = await Stripe.Fetch("/v1/prices", ("product", product), ("recurring[interval]", "year"));
        Assert.Single(recurring["data"]!.AsArray());
    }

    [Fact]
    public async Task Concurrent_creates_are_all_kept()
    {
        var email = $"burst-{Guid.NewGuid():N}@example.com";
        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Stripe.Post("/v1/customers", ("email", email))));
        Assert.All(replies, r => Assert.Equal(200, r.Status));
        Assert.Equal(200, replies.Select(r => r.Id).Distinct().Count());
        var ids = new HashSet<string>();
        string? after = null;
        do
        {
            var query = new List<(string, string)> { ("email", email), ("limit", "100") };
            if (after is not null) query.Add(("starting_after", after));
            var page = await Stripe.Fetch("/v1/customers", [.. query]);
            foreach (var c in page["data"]!.AsArray()) ids.Add(c!["id"].Str());
            after = page["has_more"]!.GetValue<bool>() ? page["data"]!.AsArray()[^1]!["id"].Str() : null;
        } while (after is not null);
        Assert.Equal(replies.Select(r => r.Id).ToHashSet(), ids);
    }

    [Fact]
    public async Task Percent_encoded_brackets_indexed_arrays_and_empty_index_arrays_parse_alike()
    {
        using var http = new HttpClient { BaseAddress = new Uri(sandbox.Host.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Stripe.ApiKey);
        var body = "name=Encoded&marketing_features%5B1%5D%5Bname%5D=Second&marketing_features%5B0%5D%5Bname%5D=First" +
                   "&images[]=https%3A%2F%2Fimg.example%2Fa.png&images[]=https%3A%2F%2Fimg.example%2Fb.png&metadata[note]=a+b%26c";
        var response = await http.PostAsync("/v1/products", new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));
        var product = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(["First", "Second"], product["marketing_features"]!.AsArray().Select(f => f!["name"].Str()));
        Assert.Equal(["https://img.example/a.png", "https://img.example/b.png"], product["images"]!.AsArray().Select(i => i.Str()));
        Assert.Equal("a b&c", product["metadata"]!["note"].Str());

        var cleared = await Stripe.Create($"/v1/products/{product["id"].Str()}", ("description", "set"));
        Assert.Equal("set", cleared["description"].Str());
        cleared = await Stripe.Create($"/v1/products/{product["id"].Str()}", ("description", ""), ("metadata", ""));
        Assert.Null(cleared["description"]);
        Assert.Empty(cleared["metadata"]!.AsObject());
    }
}
