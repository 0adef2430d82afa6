using Billing.Orders.Customers;
using Billing.Orders.Model;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;

namespace Billing.Orders.Apis;

/// <summary>Aerostack's deposit: 500 to 50,000 cents into the customer's wallet, through Checkout.</summary>
public sealed record DepositRequest(
    string? CustomerId, string? CustomerExternalId, string? Email, long? AmountCents, string? SuccessUrl, string? CancelUrl)
{
    public const long MinCents = 500;
    public const long MaxCents = 50_000;

    public CustomerReference Customer => new(CustomerId, CustomerExternalId, Email);

    public void Validate()
    {
        var validation = Customer.Validate(new Validation())
            .Check(AmountCents is not null, "amountCents", "amountCents is required.")
            .Text(SuccessUrl, "successUrl", 2048)
            .Text(CancelUrl, "cancelUrl", 2048);
        validation.ThrowIfInvalid();
        if (AmountCents is < MinCents or > MaxCents)
        {
            var error = new ApiException(400, ErrorCodes.DepositOutOfRange,
                $"A deposit is from {MinCents} to {MaxCents} cents; {AmountCents} was asked.");
            error.Extensions["minCents"] = MinCents;
            error.Extensions["maxCents"] = MaxCents;
            throw error;
        }
    }
}

/// <summary>A marketplace use of the wallet: the customer pays, the app keeps its fee, the creator is owed the rest.</summary>
public sealed record ChargeRequest(
    string? CustomerId, string? CustomerExternalId, string? Email, long? AmountCents, string? CreatorId, string? Description)
{
    public CustomerReference Customer => new(CustomerId, CustomerExternalId, Email);

    public void Validate() =>
        Customer.Validate(new Validation())
            .Money(AmountCents, "amountCents", min: 1)
            .Text(CreatorId, "creatorId", 100, required: false)
            .Text(Description, "description", 500)
            .ThrowIfInvalid();
}

/// <summary>A refund of part (or, without an amount, all that is left) of a charge or an order.</summary>
public sealed record RefundRequest(long? AmountCents)
{
    public void Validate() => new Validation()
        .Check(AmountCents is null or (>= 1 and <= 99_999_999), "amountCents", "amountCents must be from 1 to 99999999 when given.")
        .ThrowIfInvalid();
}

public sealed record DepositVerification(bool Deposited, long AmountCents, string OrderId, OrderStatus Status);

public sealed record WalletResponse(string CustomerId, long BalanceCents, string Currency);

/// <summary>A movement of the customer's wallet: the ledger transaction and the wallet's line in it.</summary>
public sealed record WalletTransactionResponse(
    string Id, LedgerKind Kind, long AmountCents, string Currency, string? Description, string? OrderId, string? ChargeId,
    string? CreatorId, DateTimeOffset CreatedAt);

public sealed record ChargeResponse(
    string Id, string CustomerId, string? CreatorId, long AmountCents, long FeeCents, long CreatorCents, string Currency,
    string Description, long BalanceCents, DateTimeOffset CreatedAt);

public sealed record ChargeRefundResponse(
    string Id, string ChargeId, long AmountCents, long FeeCents, long CreatorCents, long RefundedCents, string Currency, DateTimeOffset CreatedAt);
