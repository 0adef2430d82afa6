namespace Billing.Stripe;

/// <summary><c>/v1/products</c>.</summary>
public sealed class ProductService : StripeService
{
    internal ProductService(IStripeClient client) : base(client) { }

    public Task<Product> CreateAsync(ProductCreateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<Product>("v1/products", request, options, ct);

    public Task<Product> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<Product>($"v1/products/{Segment(id)}", null, options, ct);

    public Task<Product> UpdateAsync(string id, ProductUpdateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<Product>($"v1/products/{Segment(id)}", request, options, ct);

    /// <summary>Only a product without prices can be deleted; archive others with <c>Active = false</c>.</summary>
    public Task<DeletedObject> DeleteAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        DeleteAsync<DeletedObject>($"v1/products/{Segment(id)}", null, options, ct);

    public Task<StripeList<Product>> ListAsync(ProductListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<Product>>("v1/products", request, options, ct);

    public IAsyncEnumerable<Product> ListAutoPagingAsync(ProductListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<Product, ProductListRequest>("v1/products", request, options, ct);
}

/// <summary><c>/v1/prices</c> (no delete: archive with <c>Active = false</c>).</summary>
public sealed class PriceService : StripeService
{
    internal PriceService(IStripeClient client) : base(client) { }

    public Task<Price> CreateAsync(PriceCreateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<Price>("v1/prices", request, options, ct);

    public Task<Price> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<Price>($"v1/prices/{Segment(id)}", null, options, ct);

    public Task<Price> UpdateAsync(string id, PriceUpdateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<Price>($"v1/prices/{Segment(id)}", request, options, ct);

    public Task<StripeList<Price>> ListAsync(PriceListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<Price>>("v1/prices", request, options, ct);

    public IAsyncEnumerable<Price> ListAutoPagingAsync(PriceListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<Price, PriceListRequest>("v1/prices", request, options, ct);
}
