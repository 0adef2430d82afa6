using System.Text.Json;
using Billing.Contracts.Wallet;
using Billing.Orders.Model;
using Billing.ServiceDefaults.Http;
using Billing.ServiceDefaults.Messaging;
using Npgsql;
using NpgsqlTypes;

namespace Billing.Orders.Ledger;

/// <summary>
/// What one wallet charge statement answered: the charge as booked (by this statement, or before it
/// under the same source: <paramref name="Replayed"/>) and the wallet's balance now.
/// </summary>
public sealed record DebitOutcome(LedgerTransaction Charge, long BalanceCents, bool Replayed);

/// <summary>
/// A marketplace charge of one wallet, as ONE SQL statement (<see cref="ToCommand"/>): the wallet row is
/// checked and debited, the app's fee settled, and the ledger transaction, its lines and the
/// <c>WalletCharged</c> outbox row inserted. It runs inside a batch of its wallet's queued charges
/// (<see cref="Charges.WalletChargeQueue"/>), one database transaction and commit for them all.
/// </summary>
public sealed record WalletDebit(
    string Id, string Source, string AppId, string CustomerId, long AmountCents, string? CreatorId, string Description, string Currency, DateTimeOffset CreatedAt)
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
    /// The statement. A ledger transaction already booked under this <see cref="Source"/> (the same
    /// Idempotency-Key, retried after an answer was lost) is read instead (<c>prior</c>): then nothing is
    /// debited or written and the row answered is that charge, whatever the wallet holds now. Reading it
    /// here rather than inserting ON CONFLICT DO NOTHING keeps the batch committable and the wallet untouched
    /// (the debit comes before the insert). A booking that another transaction commits after this
    /// statement's snapshot is still refused by the unique source (the queue runs the charge again then).
    /// The UPDATE's WHERE is re-checked on the newest row version after waiting for a
    /// concurrent debit (READ COMMITTED; another replica's too), so two debits never both pass on the same
    /// old balance, and the CHECK (balance_cents &gt;= 0) stays the last guard. Every insert reads the
    /// UPDATE's row, so a short wallet writes nothing and returns no row (402). The fee is the app's
    /// <c>app_settings</c> row, else the configured default: percentage rounded down plus fixed cents,
    /// never more than the charge; a charge without a creator is all fee. Lines of zero are left out; the
    /// deferred triggers still check at commit that the lines sum to zero. Its one row is read by <see cref="Read"/>.
    /// </summary>
    public NpgsqlBatchCommand ToCommand(OrdersOptions fees)
    {
        var message = Message;
        var command = new NpgsqlBatchCommand("""
            with prior as (
                select id, customer_id, creator_id, amount_cents, fee_cents, creator_cents, currency, description, created_at
                from orders.ledger_transactions where source = @source and app_id = @app),
            debited as (
                update orders.wallets set balance_cents = balance_cents - @amount
                where app_id = @app and customer_id = @customer and balance_cents >= @amount and not exists (select 1 from prior)
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
                returning id, customer_id, creator_id, amount_cents, fee_cents, creator_cents, currency, description, created_at),
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
            select false as replayed, b.id, b.customer_id, b.creator_id, b.amount_cents, b.fee_cents, b.creator_cents, b.currency,
                   b.description, b.created_at, d.balance_cents
            from debited d, booked b
            union all
            select true, p.id, p.customer_id, p.creator_id, p.amount_cents, p.fee_cents, p.creator_cents, p.currency,
                   p.description, p.created_at, coalesce(w.balance_cents, 0)
            from prior p left join orders.wallets w on w.app_id = @app and w.customer_id = p.customer_id
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
        p.AddWithValue("source", Source);
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

    /// <summary>
    /// The statement's answer at the reader's current result: the charge (booked now or before, see
    /// <see cref="ToCommand"/>), or null when the wallet held less than the charge and nothing was booked before.
    /// Both come from the database, so a replayed answer carries the same values (created_at to the microsecond) as the first.
    /// </summary>
    public async Task<DebitOutcome?> ReadAsync(NpgsqlDataReader reader)
    {
        if (!await reader.ReadAsync()) return null;
        var charge = new LedgerTransaction
        {
            Id = reader.GetString(1), Source = Source, AppId = AppId, Kind = LedgerKind.Charge, CustomerId = reader.GetString(2),
            CreatorId = reader.IsDBNull(3) ? null : reader.GetString(3), AmountCents = reader.GetInt64(4), FeeCents = reader.GetInt64(5),
            CreatorCents = reader.GetInt64(6), Currency = reader.GetString(7), Description = reader.IsDBNull(8) ? null : reader.GetString(8),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(9),
        };
        return new DebitOutcome(charge, reader.GetInt64(10), reader.GetBoolean(0));
    }
}
