using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Billing.Subscriptions.Customers;
using Billing.Subscriptions.Infrastructure;
using Billing.Subscriptions.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Billing.Subscriptions.Apis;

public sealed record CreateCustomerRequest(string? ExternalId, string? Email, string? Name, Dictionary<string, string>? Metadata)
{
    public void Validate() => new Validation()
        .Text(ExternalId, "externalId", 200)
        .Text(Email, "email", 320, required: false)
        .Check(Email is null || Email.Contains('@'), "email", "email must be an email address.")
        .Text(Name, "name", 200, required: false)
        .Metadata(Metadata)
        .ThrowIfInvalid();
}

public sealed record CustomerStripe(string? CustomerId);

public sealed record CustomerResponse(
    string Id, string ExternalId, string? Email, string? Name, IReadOnlyDictionary<string, string> Metadata, CustomerStripe Stripe, DateTimeOffset CreatedAt)
{
    public static CustomerResponse From(Customer c) =>
        new(c.Id, c.ExternalId, c.Email, c.Name, c.Metadata, new CustomerStripe(c.StripeCustomerId), c.CreatedAt);
}

public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder routes)
    {
        var customers = routes.MapGroup("/v1/{appId}/billing/customers").WithTags("Customers");
        customers.MapPost("/", CreateCustomer).RequireScope("customers:write");
        customers.MapGet("/", ListCustomers).RequireScope("customers:read");
        customers.MapGet("/{customerId}", GetCustomer).RequireScope("customers:read");
        return routes;
    }

    /// <summary>Find-or-create by the app's own id: 201 with a new customer, 200 with the existing one (its fields unchanged).</summary>
    public static async Task<Results<Created<CustomerResponse>, Ok<CustomerResponse>>> CreateCustomer(
        string appId, CreateCustomerRequest request, CustomerDirectory directory, CancellationToken ct)
    {
        request.Validate();
        var (customer, created) = await directory.FindOrCreateAsync(appId, request.ExternalId!, request.Email, request.Name, request.Metadata, ct);
        var body = CustomerResponse.From(customer);
        return created ? TypedResults.Created($"/v1/{appId}/billing/customers/{customer.Id}", body) : TypedResults.Ok(body);
    }

    public static async Task<Ok<Page<CustomerResponse>>> ListCustomers(
        string appId, SubscriptionsDbContext db, string? externalId, int? limit, string? startingAfter, CancellationToken ct)
    {
        var page = PageRequest.From(limit, startingAfter);
        var query = db.Customers.AsNoTracking().Where(c => c.AppId == appId);
        if (externalId is not null) query = query.Where(c => c.ExternalId == externalId);
        var rows = await query.ToPageAsync(page, c => c.Id, ct);
        return TypedResults.Ok(rows.Map(CustomerResponse.From));
    }

    public static async Task<Ok<CustomerResponse>> GetCustomer(string appId, string customerId, SubscriptionsDbContext db, CancellationToken ct)
    {
        var customer = await db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.AppId == appId && c.Id == customerId, ct)
            ?? throw ApiException.NotFound("The customer");
        return TypedResults.Ok(CustomerResponse.From(customer));
    }
}
