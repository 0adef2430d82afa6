using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;

namespace Billing.StripeSandbox.Flows;

/// <summary>
/// Time-driven changes (renewals, trial ends, payment retries, scheduled cancels, session expiry)
/// for the objects of one test clock, or of the wall clock when <c>clockId</c> is null. Runs due
/// actions in time order, so a long clock advance passes through every intermediate step.
/// </summary>
public static class Scheduler
{
    public static void RunUntil(SandboxState s, string? clockId, long target, Action<long>? setTime = null)
    {
        for (var guard = 0; guard < 10_000; guard++)
        {
            var next = NextDue(s, clockId);
            if (next is null || next > target) break;
            setTime?.Invoke(next.Value);
            RunDue(s, clockId, next.Value);
        }
        setTime?.Invoke(target);
    }

    static IEnumerable<JsonObject> Of(SandboxState s, string type, string? clockId) =>
        s.Scopes(type).SelectMany(scope => s.All(scope, type)).Where(o => ClockOf(s, o) == clockId);

    static string? ClockOf(SandboxState s, JsonObject o) =>
        o.ContainsKey("test_clock") ? o["test_clock"]?.GetValue<string>()
        : o["customer"]?.GetValue<string>() is { } c ? s.Find(c)?["test_clock"]?.GetValue<string>() : null;

    static long? NextDue(SandboxState s, string? clockId)
    {
        long? next = null;
        void Consider(long? t) { if (t is not null && (next is null || t < next)) next = t; }
        foreach (var sub in Of(s, "subscription", clockId).Where(Subscriptions.IsLive))
        {
            Consider(TrialWillEndAt(s, sub));
            Consider(Subscriptions.PeriodEnd(sub));
            Consider(sub["cancel_at"]?.Long());
        }
        foreach (var invoice in Of(s, "invoice", clockId))
            if (invoice["status"]!.GetValue<string>() == "open") Consider(invoice["next_payment_attempt"]?.Long());
        foreach (var session in Of(s, "checkout.session", clockId))
            if (session["status"]!.GetValue<string>() == "open") Consider(session["expires_at"]!.Long());
        return next;
    }

    /// <summary>Stripe warns three days before a trial ends (once, and only for trials longer than that).</summary>
    static long? TrialWillEndAt(SandboxState s, JsonObject sub)
    {
        if (sub["status"]!.GetValue<string>() != "trialing" || sub["trial_end"]?.Long() is not { } end) return null;
        if (s.Hidden.ContainsKey(sub["id"]!.GetValue<string>() + ":trial_will_end")) return null;
        var at = end - 3 * 86400;
        return at > sub["created"]!.Long() ? at : null;
    }

    static void RunDue(SandboxState s, string? clockId, long now)
    {
        foreach (var session in Of(s, "checkout.session", clockId).ToList())
            if (session["status"]!.GetValue<string>() == "open" && session["expires_at"]!.Long() <= now)
                Checkout.Expire(s, Cause.Automatic, session);
        foreach (var invoice in Of(s, "invoice", clockId).ToList())
            if (invoice["status"]!.GetValue<string>() == "open" && invoice["next_payment_attempt"]?.Long() <= now)
                Subscriptions.Retry(s, Cause.Automatic, invoice, now);
        foreach (var sub in Of(s, "subscription", clockId).Where(Subscriptions.IsLive).ToList())
        {
            if (TrialWillEndAt(s, sub) <= now)
            {
                s.Hidden[sub["id"]!.GetValue<string>() + ":trial_will_end"] = new JsonObject();
                s.Emit("customer.subscription.trial_will_end", sub, Cause.Automatic);
            }
            if (sub["cancel_at"]?.Long() is { } cancelAt && cancelAt <= now && cancelAt < Subscriptions.PeriodEnd(sub))
                Subscriptions.CancelNow(s, sub, Cause.Automatic, "cancellation_requested", cancelAt);
            else if (Subscriptions.PeriodEnd(sub) <= now)
                Subscriptions.Renew(s, sub, now);
        }
    }
}
