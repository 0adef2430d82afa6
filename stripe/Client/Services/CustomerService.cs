namespace Billing.Stripe;

/// <summary><c>/v1/customers</c>.</summary>
public sealed class CustomerService : StripeService
{
    internal CustomerService(IStripeClient client) : base(client) { }

    public Task<Customer> CreateAsync(CustomerCreateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<Customer>("v1/customers", request, options, ct);

    public Task<Customer> GetAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<Customer>($"v1/customers/{Segment(id)}", null, options, ct);

    public Task<Customer> UpdateAsync(string id, CustomerUpdateRequest request, RequestOptions? options = null, CancellationToken ct = default) =>
        PostAsync<Customer>($"v1/customers/{Segment(id)}", request, options, ct);

    public Task<DeletedObject> DeleteAsync(string id, RequestOptions? options = null, CancellationToken ct = default) =>
        DeleteAsync<DeletedObject>($"v1/customers/{Segment(id)}", null, options, ct);

    public Task<StripeList<Customer>> ListAsync(CustomerListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        GetAsync<StripeList<Customer>>("v1/customers", request, options, ct);

    public IAsyncEnumerable<Customer> ListAutoPagingAsync(CustomerListRequest? request = null, RequestOptions? options = null, CancellationToken ct = default) =>
        AutoPageAsync<Customer, CustomerListRequest>("v1/customers", request, options, ct);
}
