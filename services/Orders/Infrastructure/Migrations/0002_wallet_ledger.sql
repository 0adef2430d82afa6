-- Orders' own mirror of the app's customers, keyed (app, externalId): Subscriptions publishes no
-- customer events, so a customer named by externalId (+ email) is found or made here.
create table customers (
    id          text primary key,
    app_id      text        not null,
    external_id text        not null,
    email       text,
    created_at  timestamptz not null default now(),
    unique (app_id, external_id)
);

-- Per-app marketplace fee for wallet charges (absent: the configured default, 20 % + 0).
create table app_settings (
    app_id            text primary key,
    fee_basis_points  integer not null check (fee_basis_points between 0 and 10000),
    fee_fixed_cents   bigint  not null check (fee_fixed_cents >= 0)
);

-- One row per wallet: the row every movement of the wallet locks (FOR UPDATE), so concurrent
-- charges queue instead of overdrawing. balance_cents is a cache of the sum of the wallet
-- account's ledger lines, kept in the same transaction; a test checks they agree.
create table wallets (
    app_id        text   not null,
    customer_id   text   not null,
    currency      text   not null default 'usd',
    balance_cents bigint not null default 0 check (balance_cents >= 0),
    primary key (app_id, customer_id)
);

-- The double-entry ledger. A transaction is one movement; source names what caused it
-- (deposit:<order>, charge:<wtx>, ...) and is unique, so a cause is booked at most once.
create table ledger_transactions (
    id            text primary key,
    app_id        text        not null,
    kind          text        not null,
    source        text        not null unique,
    customer_id   text,
    creator_id    text,
    order_id      text,
    charge_id     text references ledger_transactions (id),
    amount_cents  bigint      not null check (amount_cents >= 0),
    fee_cents     bigint      not null default 0 check (fee_cents >= 0),
    creator_cents bigint      not null default 0 check (creator_cents >= 0),
    currency      text        not null,
    description   text,
    created_at    timestamptz not null default now()
);
create index ix_ledger_transactions_app_customer on ledger_transactions (app_id, customer_id, id);
create index ix_ledger_transactions_charge on ledger_transactions (charge_id) where charge_id is not null;

-- Lines: amount > 0 adds to the account's balance, < 0 takes from it; a transaction's lines sum to zero.
create table ledger_lines (
    id             bigint generated always as identity primary key,
    transaction_id text        not null references ledger_transactions (id),
    app_id         text        not null,
    account        text        not null,
    amount_cents   bigint      not null check (amount_cents <> 0),
    currency       text        not null,
    created_at     timestamptz not null default now()
);
create index ix_ledger_lines_account on ledger_lines (app_id, account, transaction_id);
create index ix_ledger_lines_transaction on ledger_lines (transaction_id);

-- Append-only: history is corrected by new transactions, never by editing lines.
create function ledger_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'the ledger is append-only: % on % refused', tg_op, tg_table_name;
end $$;
create trigger ledger_lines_append_only before update or delete on ledger_lines
    for each row execute function ledger_append_only();
create trigger ledger_transactions_append_only before update or delete on ledger_transactions
    for each row execute function ledger_append_only();

-- Balanced: checked at commit (deferred), when all of a transaction's lines are in.
create function ledger_transaction_balanced() returns trigger language plpgsql set search_path from current as $$
declare
    total bigint;
    lines integer;
begin
    select coalesce(sum(amount_cents), 0), count(*) into total, lines
    from ledger_lines where transaction_id = new.id;
    if lines < 2 or total <> 0 then
        raise exception 'ledger transaction % is unbalanced: % lines summing to %', new.id, lines, total;
    end if;
    return null;
end $$;
create constraint trigger ledger_transactions_balanced after insert on ledger_transactions
    deferrable initially deferred for each row execute function ledger_transaction_balanced();

create function ledger_line_balanced() returns trigger language plpgsql set search_path from current as $$
declare
    total bigint;
begin
    select coalesce(sum(amount_cents), 0) into total from ledger_lines where transaction_id = new.transaction_id;
    if total <> 0 then
        raise exception 'ledger transaction % is unbalanced: its lines sum to %', new.transaction_id, total;
    end if;
    return null;
end $$;
create constraint trigger ledger_lines_balanced after insert on ledger_lines
    deferrable initially deferred for each row execute function ledger_line_balanced();

-- Orders: what a deposit refund could not take back out of the wallet (spent already), reported, never lost.
alter table orders add column refund_shortfall_cents bigint not null default 0 check (refund_shortfall_cents >= 0);
alter table orders add column captured_cents bigint not null default 0 check (captured_cents >= 0);
alter table orders add column description text;
alter table orders add column metadata jsonb not null default '{}'::jsonb;
