using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Security;
using Billing.Subscriptions.Changes;
using Billing.Subscriptions.Customers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Billing.Subscriptions.Apis;

/// <summary>
/// The body of <c>POST /v1/{appId}/billing/subscription/change</c>: the customer (and optionally which of
/// its subscriptions), what changes (<c>planId</c>, <c>interval</c>, <c>quantity</c>; the rest stays), and
/// <c>preview: true</c> to only see what it charges. <c>prorationDate</c> is a preview's, given back.
/// </summary>
public sealed record SubscriptionChangeRequest(
    string? CustomerId, string? CustomerExternalId, string? SubscriptionId, string? PlanId, string? Interval, int? Quantity,
    bool? Preview, DateTimeOffset? ProrationDate)
{
    public CustomerReference Customer => new(CustomerId, CustomerExternalId, null);

    /// <summary><c>month</c>/<c>year</c> as subscribe takes them; the dashboard's <c>monthly</c>/<c>yearly</c> mean the same.</summary>
    public string? NormalizedInterval => Interval switch { "monthly" => "month", "yearly" => "year", _ => Interval };

    public void Validate()
    {
        var validation = new Validation()
            .Text(SubscriptionId, "subscriptionId", 100, required: false)
            .Text(PlanId, "planId", 100, required: false)
            .Check(Interval is null or "month" or "year" or "monthly" or "yearly", "interval", "interval must be month or year (or monthly, yearly).")
            .Check(Quantity is null or (>= 1 and <= 10_000), "quantity", "quantity must be from 1 to 10000.")
            .Check(PlanId is not null || Interval is not null || Quantity is not null, "planId", "Give what changes: planId, interval and/or quantity.");
        Customer.Validate(validation);
        validation.ThrowIfInvalid();
    }
}

/// <summary>The preview's answer: what the change charges at once, at which proration date, and the invoice's lines.</summary>
public sealed record SubscriptionChangePreviewResponse(
    long AmountDueCents, string Currency, DateTimeOffset ProrationDate, IReadOnlyList<ChangePreviewLine> Lines);

public static class SubscriptionChangeApi
{
    public static IEndpointRouteBuilder MapSubscriptionChangeApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/v1/{appId}/billing").WithTags("Subscriptions")
            .MapPost("/subscription/change", Change).RequireScope("subscriptions:write");
        return routes;
    }

    /// <summary>
    /// Changes plan, interval or quantity, billing the prorated difference now (an interval change starts a
    /// new cycle now); with <c>preview: true</c> answers only what that charges.
    /// </summary>
    public static async Task<Results<Ok<SubscriptionResponse>, Ok<SubscriptionChangePreviewResponse>>> Change(
        string appId, SubscriptionChangeRequest request, CustomerDirectory customers, SubscriptionChanger changer, CancellationToken ct)
    {
        request.Validate();
        var customer = await customers.ResolveAsync(appId, request.Customer, ct);
        var order = new ChangeOrder(appId, customer.Id, request.SubscriptionId, request.PlanId, request.NormalizedInterval, request.Quantity,
            request.ProrationDate is { } date ? DateTimeOffset.FromUnixTimeSeconds(date.ToUnixTimeSeconds()) : null);
        if (request.Preview == true)
        {
            var preview = await changer.PreviewAsync(order, ct);
            return TypedResults.Ok(new SubscriptionChangePreviewResponse(preview.AmountDueCents, preview.Currency, preview.ProrationDate, preview.Lines));
        }
        return TypedResults.Ok(SubscriptionResponse.From(await changer.ChangeAsync(order, ct)));
    }
}
