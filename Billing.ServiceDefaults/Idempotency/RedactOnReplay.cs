using System.Text.Json.Nodes;

namespace Billing.ServiceDefaults.Idempotency;

/// <summary>
/// Endpoint metadata for answers that carry a secret shown once (a new API key, an account token):
/// the stored copy for Idempotency-Key replays leaves those top-level properties out, so no secret
/// is ever written to the database in clear. A replay still says what was created (ids, masked secret).
/// </summary>
public sealed class RedactOnReplay(params string[] properties)
{
    public IReadOnlyList<string> Properties { get; } = properties;

    internal byte[] Apply(byte[] body)
    {
        try
        {
            if (JsonNode.Parse(body) is not JsonObject json) return body;
            foreach (var property in Properties) json.Remove(property);
            return System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }
}
