using Billing.ServiceDefaults.Http;

namespace Billing.Subscriptions.Peers;

/// <summary>
/// Asks the Catalog service, as the caller, whether a plan exists, for a plan this service's projection does not
/// know: between Catalog answering <c>syncStatus: synced</c> and this service consuming the PlanChanged that says
/// so (about 0.1 s on a quiet machine, seconds under load), a checkout of a plan just made is then the retryable
/// 409 "not sellable yet", not a 404 that says the plan does not exist.
/// </summary>
public sealed class CatalogPlans(HttpClient http, IHttpContextAccessor context, ILogger<CatalogPlans> logger)
    : PeerServiceReader(http, context, logger)
{
    private sealed record PlanView(string Id);

    /// <returns>Whether Catalog has the plan for this caller; null when Catalog could not be asked.</returns>
    public async Task<bool?> ExistsAsync(string appId, string planId, CancellationToken ct) =>
        await AskAsCallerAsync<PlanView>($"/v1/{Uri.EscapeDataString(appId)}/billing/plans/{Uri.EscapeDataString(planId)}", ct) is { Answered: true } answer
            ? answer.Value is not null
            : null;
}
