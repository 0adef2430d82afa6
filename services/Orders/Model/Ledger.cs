namespace Billing.Orders.Model;

/// <summary>What a ledger transaction records.</summary>
public enum LedgerKind { Deposit, DepositRefund, Charge, ChargeRefund }

/// <summary>One movement of money: two or more <see cref="LedgerLine"/>s summing to zero. Never updated.</summary>
public sealed class LedgerTransaction
{
    public required string Id { get; init; }
    public required string AppId { get; init; }
    public LedgerKind Kind { get; init; }

    /// <summary>What caused it (<c>deposit:ord_…</c>, <c>charge:wtx_…</c>, …); unique, so a cause is booked once.</summary>
    public required string Source { get; init; }
    public string? CustomerId { get; init; }
    public string? CreatorId { get; init; }
    public string? OrderId { get; init; }

    /// <summary>A refund's charge.</summary>
    public string? ChargeId { get; init; }
    public long AmountCents { get; init; }
    public long FeeCents { get; init; }
    public long CreatorCents { get; init; }
    public string Currency { get; init; } = "usd";
    public string? Description { get; init; }
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
    public List<LedgerLine> Lines { get; init; } = [];
}

/// <summary>A signed amount on one account: positive adds to the account's balance, negative takes from it.</summary>
public sealed class LedgerLine
{
    public long Id { get; init; }
    public required string TransactionId { get; init; }
    public required string AppId { get; init; }
    public required string Account { get; init; }
    public long AmountCents { get; init; }
    public string Currency { get; init; } = "usd";
    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}

/// <summary>A customer's wallet: the row its movements lock, with the cached sum of its account's lines.</summary>
public sealed class Wallet
{
    public required string AppId { get; init; }
    public required string CustomerId { get; init; }
    public string Currency { get; init; } = "usd";
    public long BalanceCents { get; set; }
}

/// <summary>An app's marketplace fee on wallet charges.</summary>
public sealed class AppSettings
{
    public required string AppId { get; init; }
    public int FeeBasisPoints { get; set; }
    public long FeeFixedCents { get; set; }
}
