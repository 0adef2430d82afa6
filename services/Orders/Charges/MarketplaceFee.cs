using Billing.Orders.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Billing.Orders.Charges;

/// <summary>The app's marketplace fee: its row in <c>app_settings</c>, else the configured default (20 % + 0).</summary>
public sealed class MarketplaceFee(OrdersDbContext db, IOptions<OrdersOptions> options)
{
    /// <summary>The fee on a charge of <paramref name="amountCents"/>: percentage (rounded down) plus fixed cents, never more than the charge.</summary>
    public async Task<long> OfAsync(string appId, long amountCents, CancellationToken ct)
    {
        var setting = await db.AppSettings.AsNoTracking().SingleOrDefaultAsync(s => s.AppId == appId, ct);
        var basisPoints = setting?.FeeBasisPoints ?? options.Value.DefaultFeeBasisPoints;
        var fixedCents = setting?.FeeFixedCents ?? options.Value.DefaultFeeFixedCents;
        return Math.Min(amountCents, amountCents * basisPoints / 10_000 + fixedCents);
    }
}
