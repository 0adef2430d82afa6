using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;

namespace Billing.StripeSandbox.Flows;

/// <summary>Connect onboarding: what submitting the hosted onboarding form does.</summary>
public static class Connect
{
    public static void Onboard(SandboxState s, Cause cause, JsonObject account)
    {
        s.Update(account, cause, "account.updated", o =>
        {
            o["details_submitted"] = true;
            o["charges_enabled"] = true;
            o["payouts_enabled"] = true;
            var capabilities = o["capabilities"]!.AsObject();
            foreach (var name in capabilities.Select(kv => kv.Key).ToList()) capabilities[name] = "active";
            o["requirements"] = Requirements([]);
            o["future_requirements"] = Requirements([]);
        });
    }

    public static JsonObject Requirements(string[] due) => new()
    {
        ["alternatives"] = new JsonArray(),
        ["current_deadline"] = null,
        ["currently_due"] = new JsonArray(due.Select(d => (JsonNode)d).ToArray()),
        ["disabled_reason"] = due.Length > 0 ? "requirements.past_due" : null,
        ["errors"] = new JsonArray(),
        ["eventually_due"] = new JsonArray(due.Select(d => (JsonNode)d).ToArray()),
        ["past_due"] = new JsonArray(due.Select(d => (JsonNode)d).ToArray()),
        ["pending_verification"] = new JsonArray(),
    };
}
