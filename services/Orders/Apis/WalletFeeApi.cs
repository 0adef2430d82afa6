using Billing.Orders.Infrastructure;
using Billing.Orders.Model;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Billing.Orders.Apis;

/// <summary>
/// The app's marketplace fee on wallet charges (Aerostack: "the marketplace fee is retained by the platform"):
/// a percentage in basis points plus fixed cents, never more than the charge. Without a setting of its own an
/// app pays the configured default (20 %). A change applies to charges made after it; booked ones keep their fee.
/// </summary>
public static class WalletFeeApi
{
    public static RouteGroupBuilder MapWalletFee(this RouteGroupBuilder wallet)
    {
        wallet.MapGet("/fee", Read).RequireScope("wallet:read");
        wallet.MapPut("/fee", Set).RequireScope("wallet:write");
        return wallet;
    }

    public static async Task<Ok<WalletFeeResponse>> Read(string appId, OrdersDbContext db, IOptions<OrdersOptions> options, CancellationToken ct)
    {
        var own = await db.AppSettings.AsNoTracking().SingleOrDefaultAsync(s => s.AppId == appId, ct);
        return TypedResults.Ok(own is null
            ? new WalletFeeResponse(options.Value.DefaultFeeBasisPoints, options.Value.DefaultFeeFixedCents, IsDefault: true)
            : new WalletFeeResponse(own.FeeBasisPoints, own.FeeFixedCents, IsDefault: false));
    }

    public static async Task<Ok<WalletFeeResponse>> Set(string appId, WalletFeeRequest request, OrdersDbContext db, CancellationToken ct)
    {
        request.Validate();
        // One statement: two concurrent changes both land, the later one wins, neither is a 5xx on the primary key.
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            insert into orders.app_settings (app_id, fee_basis_points, fee_fixed_cents)
            values ({appId}, {request.FeeBasisPoints!.Value}, {request.FeeFixedCents ?? 0})
            on conflict (app_id) do update set fee_basis_points = excluded.fee_basis_points, fee_fixed_cents = excluded.fee_fixed_cents
            """, ct);
        return TypedResults.Ok(new WalletFeeResponse(request.FeeBasisPoints.Value, request.FeeFixedCents ?? 0, IsDefault: false));
    }
}

/// <summary><c>feeBasisPoints</c> 0..10,000 (2000 = 20 %), <c>feeFixedCents</c> 0..1,000,000 (default 0).</summary>
public sealed record WalletFeeRequest(int? FeeBasisPoints, long? FeeFixedCents)
{
    public void Validate() => new Validation()
        .Check(FeeBasisPoints is not null, "feeBasisPoints", "feeBasisPoints is required (2000 = 20 %).")
        .Check(FeeBasisPoints is null or (>= 0 and <= 10_000), "feeBasisPoints", "feeBasisPoints must be from 0 to 10000.")
        .Check(FeeFixedCents is null or (>= 0 and <= 1_000_000), "feeFixedCents", "feeFixedCents must be from 0 to 1000000.")
        .ThrowIfInvalid();
}

/// <summary>The fee wallet charges of the app pay; <c>isDefault</c>: the app has no setting of its own.</summary>
public sealed record WalletFeeResponse(int FeeBasisPoints, long FeeFixedCents, bool IsDefault);
