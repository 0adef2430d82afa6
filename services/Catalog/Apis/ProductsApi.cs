using Billing.Catalog.Infrastructure;
using Billing.Catalog.Model;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Catalog.Apis;

/// <summary>An app's one-time products; what plans and products do alike is in <see cref="CatalogItemEndpoints"/>.</summary>
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
        string appId, HttpContext http, CatalogDbContext db, int? limit, string? startingAfter, bool includeArchived = false, CancellationToken ct = default) =>
        TypedResults.Ok((await CatalogItemEndpoints.ListAsync<Product>(db, appId, http, limit, startingAfter, includeArchived, ct)).Map(ProductResponse.From));

    public static async Task<Ok<ProductResponse>> GetProduct(string appId, string productId, HttpContext http, CatalogDbContext db, CancellationToken ct) =>
        TypedResults.Ok(ProductResponse.From(await CatalogItemEndpoints.GetAsync<Product>(db, appId, productId, http, ct)));

    /// <summary>A new one-time product; its Stripe product and price follow asynchronously.</summary>
    public static async Task<Created<ProductResponse>> CreateProduct(string appId, CreateProductRequest request, CatalogDbContext db, CancellationToken ct)
    {
        var product = await CatalogItemEndpoints.CreateAsync(db, request.ToProduct(appId), ct);
        return TypedResults.Created($"/v1/{appId}/billing/products/{product.Id}", ProductResponse.From(product));
    }

    /// <summary>A new amount or currency is a new price (new <c>priceId</c>, new Stripe price); orders keep the price they were made with.</summary>
    public static async Task<Ok<ProductResponse>> UpdateProduct(
        string appId, string productId, UpdateProductRequest request, CatalogDbContext db, CancellationToken ct) =>
        TypedResults.Ok(ProductResponse.From(await CatalogItemEndpoints.ChangeAsync<Product>(db, appId, productId, request.ApplyTo, ct)));

    /// <summary>No new purchases: out of the public catalog, and its Stripe product inactive.</summary>
    public static async Task<Ok<ProductResponse>> ArchiveProduct(string appId, string productId, CatalogDbContext db, CancellationToken ct) =>
        TypedResults.Ok(ProductResponse.From(await CatalogItemEndpoints.ChangeAsync<Product>(db, appId, productId, CatalogItemEndpoints.Archive, ct)));
}
