using System.Net;
using Billing.Catalog.Infrastructure;
using Billing.Catalog.Model;
using Billing.ServiceDefaults.Messaging;
using Billing.Stripe;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Stripe;
using Plan = Billing.Catalog.Model.Plan;
using Product = Billing.Catalog.Model.Product;

namespace Billing.Catalog.StripeSync;

/// <summary>
/// Syncs one plan or product to Stripe with its row locked, so two syncs (two copies of the message,
/// two replicas, the sweeper's retry) run one after the other and the second finds the work done.
/// Transient failures are retried by MassTransit; a refusal Stripe will repeat (a 4xx other than
/// 409/429), or a transient one still failing on the last attempt, marks the sync failed with the
/// reason, and <see cref="StripeSyncSweeper"/> asks again later.
/// </summary>
public sealed class StripeSyncConsumer(
    CatalogDbContext db, StripeCatalogPush push, IOptions<MessagingOptions> messaging, ILogger<StripeSyncConsumer> logger)
    : InboxConsumer<StripeSyncRequested, CatalogDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<StripeSyncRequested> context)
    {
        var (appId, itemId) = (context.Message.AppId, context.Message.ItemId);
        var ct = context.CancellationToken;
        CatalogItem? item = itemId.StartsWith("prod_", StringComparison.Ordinal)
            ? await Db.LockAsync<Product>(appId, itemId, ct)
                ? await Db.Products.Include(p => p.Prices).SingleAsync(p => p.Id == itemId && p.AppId == appId, ct) : null
            : await Db.LockAsync<Plan>(appId, itemId, ct)
                ? await Db.Plans.Include(p => p.Prices).SingleAsync(p => p.Id == itemId && p.AppId == appId, ct) : null;
        if (item is null) return;
        // A duplicate, or a later sync that already covered this change.
        if (item.StripeSyncStatus == StripeSyncStatus.Synced) return;

        try
        {
            await push.PushAsync(item, ct);
        }
        catch (StripeException e) when (IsPermanent(e))
        {
            Fail(item, $"Stripe refused the request: {e.StripeError?.Message ?? e.Message}");
            return;
        }
        catch (Exception e) when (StripeErrors.IsStripeFailure(e) && context.GetRetryAttempt() >= messaging.Value.RetryLimit)
        {
            Fail(item, "Stripe could not be reached or did not answer.");
            return;
        }
        item.Synced(DateTimeOffset.UtcNow);
        Db.StageChanged(item, sync: false);
    }

    // What Stripe will answer the same way again; 409 (a key in flight) and 429 (rate limit) pass.
    private static bool IsPermanent(StripeException e) =>
        (int)e.HttpStatusCode is >= 400 and < 500 && e.HttpStatusCode is not (HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests);

    private void Fail(CatalogItem item, string reason)
    {
        // The ids of what was made before the failure are kept (they are saved with the failure), so the retry goes on from there.
        item.SyncFailed(reason);
        logger.LogWarning("Stripe sync of {ItemId} failed: {Reason}", item.Id, item.StripeSyncError);
    }
}
