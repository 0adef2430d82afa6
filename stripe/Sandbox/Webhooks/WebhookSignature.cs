using System.Security.Cryptography;
using System.Text;

namespace Billing.StripeSandbox.Webhooks;

/// <summary>Stripe's scheme: <c>t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" keyed by the whsec string&gt;</c>.</summary>
public static class WebhookSignature
{
    public static string Header(string secret, long timestamp, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var payload = new byte[prefix.Length + body.Length];
        prefix.CopyTo(payload, 0);
        body.CopyTo(payload, prefix.Length);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload);
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}
