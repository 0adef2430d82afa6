using Billing.Gateway.Infrastructure;
using Billing.Gateway.Model;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;

namespace Billing.Gateway.Apis;

/// <summary>Adds an audit entry to the same unit of work as the change it records, so one is never saved without the other.</summary>
public static class AuditTrail
{
    private const int MaxUserAgent = 512;

    public static void Record(this GatewayDbContext db, HttpContext http, string appId, string action, string target)
    {
        var userAgent = http.Request.Headers.UserAgent.ToString();
        db.AuditEntries.Add(new AuditEntry
        {
            Id = Ids.New("aud"),
            AppId = appId,
            AccountId = http.Caller().AccountId,
            Action = action,
            Target = target,
            Ip = http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = userAgent.Length == 0 ? null : userAgent[..Math.Min(userAgent.Length, MaxUserAgent)],
            RequestId = http.TraceIdentifier,
        });
    }
}
