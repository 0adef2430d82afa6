using Billing.Catalog.Infrastructure;
using Billing.Catalog.Model;
using Billing.Catalog.StripeSync;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Catalog.Apis;

public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder routes)
    {
        var products = routes.MapGroup("/v1/{appId}/billing/products").WithTags("Products");
        products.MapGet("/", ListProducts).RequireScope("catalog:read", CallerIdentity.PublicCatalogScope);
        products.MapGet("/{productId}", GetProduct).RequireScope("catalog:read", CallerIdentity.PublicCatalogScope);
        products.MapPost("/", CreateProduct).RequireScope("catalog:write");
        products.MapPut("/{productId}", UpdateProduct).RequireScope("catalog:write");
        products.MapPost("/{productId}/archive", ArchiveProduct).RequireScope("catalog:write");
        return routes;
    }

    /// <summary>As plans: active ones (secret keys: <c>includeArchived</c>); the public catalog shows only what can be bought.</summary>
    public static async Task<Ok<Page<ProductResponse>>> ListProducts(
        string appId, HttpContext http, CatalogDbContext db, int? limit, string? startingAfter, bool includeArchived = false, CancellationToken ct = default)
    {
        var page = PageRequest.From(limit, startingAfter);
        var query = db.Products.AsNoTracking().Include(p => p.Prices).Where(p => p.AppId == appId);
        if (!http.Caller().HasScope("catalog:read")) query = query.Where(p => p.Active && p.StripeSyncStatus == StripeSyncStatus.Synced);
        else if (!includeArchived) query = query.Where(p => p.Active);
        var rows = await query.ToPageAsync(page, p => p.Id, ct);
        return TypedResults.Ok(rows.Map(ProductResponse.From));
    }

    public static async Task<Ok<ProductResponse>> GetProduct(string appId, string productId, HttpContext http, CatalogDbContext db, CancellationToken ct)
    {
        var product = await db.Products.AsNoTracking().Include(p => p.Prices).SingleOrDefaultAsync(p => p.AppId == appId && p.Id == productId, ct);
        if (product is null || (!product.Sellable && !http.Caller().HasScope("catalog:read"))) throw ApiException.NotFound("The product");
        return TypedResults.Ok(ProductResponse.From(product));
    }

    /// <summary>A new one-time product; its Stripe product and price follow asynchronously.</summary>
    public static async Task<Created<ProductResponse>> CreateProduct(string appId, CreateProductRequest request, CatalogDbContext db, CancellationToken ct)
    {
        var product = request.ToProduct(appId);
        db.Products.Add(product);
        db.StageChanged(product, sync: true);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/{appId}/billing/products/{product.Id}", ProductResponse.From(product));
    }

    /// <summary>A new amount or currency is a new price (new <c>priceId</c>, new Stripe price); orders keep the price they were made with.</summary>
    public static Task<Ok<ProductResponse>> UpdateProduct(
        string appId, string productId, UpdateProductRequest request, CatalogDbContext db, CancellationToken ct) =>
        ChangeAsync(db, appId, productId, request.ApplyTo, ct);

    /// <summary>No new purchases: out of the public catalog, and its Stripe product inactive.</summary>
    public static Task<Ok<ProductResponse>> ArchiveProduct(string appId, string productId, CatalogDbContext db, CancellationToken ct) =>
        ChangeAsync(db, appId, productId, (product, _) =>
        {
            if (!product.Active) return (false, false);
            product.Active = false;
            return (true, true);
        }, ct);

    private static async Task<Ok<ProductResponse>> ChangeAsync(
        CatalogDbContext db, string appId, string productId, Func<Product, DateTimeOffset, (bool Sync, bool Changed)> change, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await db.LockAsync<Product>(appId, productId, ct)) throw ApiException.NotFound("The product");
        var product = await db.Products.Include(p => p.Prices).SingleAsync(p => p.AppId == appId && p.Id == productId, ct);
        var now = DateTimeOffset.UtcNow;
        var (sync, changed) = change(product, now);
        if (changed)
        {
            product.Changed(now, sync);
            db.StageChanged(product, sync);
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(ProductResponse.From(product));
    }
}
