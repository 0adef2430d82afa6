using System.Text.Json;
using Billing.Contracts.Wallet;
using Billing.Orders.Model;
using Billing.ServiceDefaults.Http;
using Billing.ServiceDefaults.Messaging;
using Npgsql;
using NpgsqlTypes;

namespace Billing.Orders.Ledger;

/// <summary>What one wallet charge booked: the wallet's new balance and the fee the statement settled.</summary>
public readonly record struct DebitOutcome(long BalanceCents, long FeeCents);

/// <summary>
/// A marketplace charge of one wallet, as ONE SQL statement (<see cref="ToCommand"/>): the wallet row is
/// checked and debited, the app's fee settled, and the ledger transaction, its lines and the
/// <c>WalletCharged</c> outbox row inserted. It runs inside a batch of its wallet's queued charges
/// (<see cref="Charges.WalletChargeQueue"/>), one database transaction and commit for them all.
/// </summary>
public sealed record WalletDebit(
    string Id, string AppId, string CustomerId, long AmountCents, string? CreatorId, string Description, string Currency, DateTimeOffset CreatedAt)
{
    // The event's fee and creator share are only known inside the statement: it overwrites these two properties of the staged body.
    private static readonly string FeeProperty = JsonDefaults.Options.PropertyNamingPolicy!.ConvertName(nameof(WalletCharged.FeeCents));
    private static readonly string CreatorProperty = JsonDefaults.Options.PropertyNamingPolicy!.ConvertName(nameof(WalletCharged.CreatorCents));

    /// <summary>
    /// The <c>WalletCharged</c> row, made with the debit, i.e. in the request (its trace becomes the event's
    /// parent), not in the wallet's writer; its fee and creator share are filled in by the statement.
    /// </summary>
    public OutboxMessage Message { get; } = OutboxMessage.Create(new WalletCharged(
        Guid.NewGuid(), CreatedAt, AppId, Id, CustomerId, CreatorId, AmountCents, 0, 0, Currency, Description));

    /// <summary>
    /// The statement. The UPDATE's WHERE is re-checked on the newest row version after waiting for a
    /// concurrent debit (READ COMMITTED; another replica's too), so two debits never both pass on the same
    /// old balance, and the CHECK (balance_cents &gt;= 0) stays the last guard. Every insert reads the
    /// UPDATE's row, so a short wallet writes nothing and returns no row (402). The fee is the app's
    /// <c>app_settings</c> row, else the configured default: percentage rounded down plus fixed cents,
    /// never more than the charge; a charge without a creator is all fee. Lines of zero are left out; the
    /// deferred triggers still check at commit that the lines sum to zero.
    /// </summary>
    public NpgsqlBatchCommand ToCommand(OrdersOptions fees)
    {
        var message = Message;
        var command = new NpgsqlBatchCommand("""
            with debited as (
                update orders.wallets set balance_cents = balance_cents - @amount
                where app_id = @app and customer_id = @customer and balance_cents >= @amount
                returning balance_cents),
            fee as (
                select case when @creator is null then @amount
                            else least(@amount, @amount * coalesce(s.fee_basis_points, @fee_basis_points) / 10000
                                                + coalesce(s.fee_fixed_cents, @fee_fixed_cents)) end as cents
                from debited left join orders.app_settings s on s.app_id = @app),
            booked as (
                insert into orders.ledger_transactions
                    (id, app_id, kind, source, customer_id, creator_id, amount_cents, fee_cents, creator_cents, currency, description, created_at)
                select @id, @app, @kind, @source, @customer, @creator, @amount, f.cents, @amount - f.cents, @currency, @description, @created
                from fee f
                returning id, fee_cents, creator_cents),
            lines as (
                insert into orders.ledger_lines (transaction_id, app_id, account, amount_cents, currency, created_at)
                select b.id, @app, p.account, p.amount, @currency, @created
                from booked b cross join lateral (values
                    (@wallet_account, -@amount), (@revenue_account, b.fee_cents), (@creator_account, b.creator_cents)) as p (account, amount)
                where p.amount <> 0),
            staged as (
                insert into orders.outbox_messages (id, message_type, body, headers, created_at)
                select @message_id, @message_type,
                       @body::jsonb || jsonb_build_object(@fee_property, b.fee_cents, @creator_property, b.creator_cents),
                       @headers::jsonb, @created
                from booked b)
            select d.balance_cents, b.fee_cents from debited d, booked b
            """);
        var p = command.Parameters;
        p.AddWithValue("id", Id);
        p.AddWithValue("app", AppId);
        p.AddWithValue("customer", CustomerId);
        p.AddWithValue("amount", NpgsqlDbType.Bigint, AmountCents);
        p.AddWithValue("creator", NpgsqlDbType.Text, (object?)CreatorId ?? DBNull.Value);
        p.AddWithValue("fee_basis_points", NpgsqlDbType.Bigint, (long)fees.DefaultFeeBasisPoints);
        p.AddWithValue("fee_fixed_cents", NpgsqlDbType.Bigint, fees.DefaultFeeFixedCents);
        p.AddWithValue("kind", LedgerKind.Charge.ToString());
        p.AddWithValue("source", "charge:" + Id);
        p.AddWithValue("currency", Currency);
        p.AddWithValue("description", Description);
        p.AddWithValue("created", CreatedAt);
        p.AddWithValue("wallet_account", LedgerAccounts.Wallet(CustomerId));
        p.AddWithValue("revenue_account", LedgerAccounts.PlatformRevenue);
        p.AddWithValue("creator_account", NpgsqlDbType.Text, CreatorId is null ? DBNull.Value : LedgerAccounts.Creator(CreatorId));
        p.AddWithValue("message_id", message.Id);
        p.AddWithValue("message_type", message.MessageType);
        p.AddWithValue("body", message.Body);
        p.AddWithValue("fee_property", FeeProperty);
        p.AddWithValue("creator_property", CreatorProperty);
        p.AddWithValue("headers", NpgsqlDbType.Text, (object?)message.Headers ?? DBNull.Value);
        return command;
    }
}
