using System.Text.Json.Nodes;
using Billing.StripeSandbox.Flows;
using Billing.StripeSandbox.State;
using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Apis;

public static class TestClocksApi
{
    public static void MapTestClocksApi(this IEndpointRouteBuilder api)
    {
        api.Post("/v1/test_helpers/test_clocks", Create);
        api.Get("/v1/test_helpers/test_clocks", c =>
        {
            var p = c.P.Allow("limit", "starting_after", "ending_before");
            return ListPage.Build(p, c.State.All(c.Account, "test_helpers.test_clock"), "/v1/test_helpers/test_clocks");
        });
        api.Get("/v1/test_helpers/test_clocks/{id}", c => Find(c));
        api.Delete("/v1/test_helpers/test_clocks/{id}", c =>
        {
            c.P.Allow();
            var clock = Find(c);
            c.State.Remove(clock["id"]!.GetValue<string>());
            return new JsonObject { ["id"] = clock["id"]!.DeepClone(), ["object"] = "test_helpers.test_clock", ["deleted"] = true };
        });
        api.Post("/v1/test_helpers/test_clocks/{id}/advance", Advance);
    }

    static JsonObject Find(ApiCall c) => c.Get("test_helpers.test_clock", c.Route("id"), "test_clock", "test_clock");

    static JsonNode Create(ApiCall c)
    {
        var p = c.P.Allow("frozen_time", "name");
        var frozen = p.RequiredLong("frozen_time");
        var clock = new JsonObject
        {
            ["id"] = Ids.New("clock_"),
            ["object"] = "test_helpers.test_clock",
            ["created"] = c.Now,
            ["deletes_after"] = c.Now + 30L * 86400,
            ["frozen_time"] = frozen,
            ["livemode"] = false,
            ["name"] = p.NonEmpty("name"),
            ["status"] = "ready",
            ["status_details"] = new JsonObject(),
        };
        return c.State.Add(c.Account, clock);
    }

    /// <summary>
    /// Like Stripe, answers at once with <c>status=advancing</c> and runs the simulation in the
    /// background; callers poll until <c>ready</c>.
    /// </summary>
    static JsonNode Advance(ApiCall c)
    {
        var p = c.P.Allow("frozen_time");
        var clock = Find(c);
        var target = p.RequiredLong("frozen_time");
        var frozen = clock["frozen_time"]!.Long();
        if (clock["status"]!.GetValue<string>() == "advancing")
            throw StripeException.Invalid("The test clock is already advancing.", null, "test_clock_advancing");
        if (target <= frozen)
            throw StripeException.Invalid("The frozen_time must be after the test clock's current frozen_time.", "frozen_time");
        var limit = MaxAdvance(c.State, clock, frozen);
        if (target > limit)
            throw StripeException.Invalid(
                "Cannot advance the test clock more than two intervals of the shortest subscription interval.", "frozen_time");
        var state = c.State;
        var cause = c.Cause;
        state.Update(clock, cause, null, o =>
        {
            o["status"] = "advancing";
            o["status_details"] = new JsonObject { ["advancing"] = new JsonObject { ["target_frozen_time"] = target } };
        });
        state.Emit("test_helpers.test_clock.advancing", clock, cause);
        var snapshot = clock.DeepClone();
        var id = clock["id"]!.GetValue<string>();
        _ = Task.Run(() =>
        {
            lock (state.Gate)
            {
                try
                {
                    Scheduler.RunUntil(state, id, target, t => clock["frozen_time"] = Math.Max(t, clock["frozen_time"]!.Long()));
                    clock["status"] = "ready";
                    clock["status_details"] = new JsonObject();
                    state.Emit("test_helpers.test_clock.ready", clock, cause);
                }
                catch (Exception)
                {
                    clock["status"] = "internal_failure";
                    clock["status_details"] = new JsonObject();
                    state.Emit("test_helpers.test_clock.internal_failure", clock, cause);
                }
            }
        });
        return snapshot;
    }

    /// <summary>Two intervals of the shortest subscription on the clock ahead, or two years.</summary>
    static long MaxAdvance(SandboxState s, JsonObject clock, long frozen)
    {
        var id = clock["id"]!.GetValue<string>();
        var shortest = s.Scopes("subscription").SelectMany(scope => s.All(scope, "subscription"))
            .Where(sub => sub["test_clock"]?.GetValue<string>() == id && Subscriptions.IsLive(sub))
            .SelectMany(sub => sub["items"]!["data"]!.AsArray())
            .Select(item => Subscriptions.AddInterval(Subscriptions.AddInterval(frozen, item!["price"]!.AsObject()), item!["price"]!.AsObject()))
            .DefaultIfEmpty(DateTimeOffset.FromUnixTimeSeconds(frozen).AddYears(2).ToUnixTimeSeconds())
            .Min();
        return shortest;
    }
}
