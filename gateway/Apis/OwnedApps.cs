using Billing.Gateway.Infrastructure;
using Billing.Gateway.Model;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace Billing.Gateway.Apis;

public static class OwnedApps
{
    /// <summary>
    /// The app when the caller may manage it: its owning account, or the operator. Anyone else's
    /// app is 404 exactly like a missing one, so app ids reveal nothing.
    /// </summary>
    public static async Task<App> FindManagedAppAsync(this GatewayDbContext db, HttpContext http, string appId, CancellationToken ct)
    {
        var caller = http.Caller();
        var app = await db.Apps.SingleOrDefaultAsync(a => a.Id == appId, ct);
        var allowed = app is not null && (caller.Kind == CallerKind.Operator || (caller.AccountId is not null && app.AccountId == caller.AccountId));
        return allowed ? app! : throw ApiException.NotFound("The app");
    }
}
