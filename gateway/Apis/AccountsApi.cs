using Billing.Gateway.Auth;
using Billing.Gateway.Infrastructure;
using Billing.Gateway.Model;
using Billing.Gateway.Routing;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Gateway.Apis;

public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/accounts", CreateAccount).WithTags("Accounts").WithMetadata(RouteAccess.Operator, new RedactOnReplay("token"));
        return routes;
    }

    /// <summary>A developer account and its token; the token is in this answer only (a duplicate email is 409).</summary>
    public static async Task<Created<CreatedAccountResponse>> CreateAccount(CreateAccountRequest request, GatewayDbContext db, CancellationToken ct)
    {
        request.Validate();
        var token = Secrets.NewAccountToken();
        var account = new Account { Id = Ids.New("dev"), Email = request.Email!.Trim(), Name = request.Name!.Trim(), TokenHash = Secrets.Hash(token) };
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/accounts/{account.Id}",
            new CreatedAccountResponse(account.Id, account.Email, account.Name, account.CreatedAt, token));
    }
}
