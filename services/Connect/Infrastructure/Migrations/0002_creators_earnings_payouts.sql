-- The account's state is ordered by time (Stripe does not deliver in order), and its changes numbered for Orders.
alter table connected_accounts
    add column version       bigint not null default 0,
    add column state_at      timestamptz,
    add column last_event_at timestamptz;

create table creators (
    id               text primary key,
    app_id           text        not null,
    external_id      text        not null,
    email            text        not null,
    payout_frequency text        not null default 'manual',
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    -- Find-or-create by the app's own id.
    unique (app_id, external_id)
);
create index creators_scheduled on creators (payout_frequency) where payout_frequency <> 'manual';

-- Append-only: a line is never updated or deleted; balances are sums. A source books once (unique).
create table earnings (
    id           bigint generated always as identity primary key,
    app_id       text        not null,
    creator_id   text        not null,
    kind         text        not null,
    source_id    text        not null,
    amount_cents bigint      not null,
    currency     text        not null,
    available_at timestamptz not null,
    created_at   timestamptz not null default now(),
    unique (kind, source_id)
);
create index earnings_creator on earnings (creator_id, available_at);

create table payouts (
    id                 text primary key,
    app_id             text        not null,
    creator_id         text        not null,
    amount_cents       bigint      not null check (amount_cents > 0),
    currency           text        not null,
    status             text        not null,
    trigger            text        not null,
    period             text,
    stripe_account_id  text        not null,
    stripe_transfer_id text,
    failure_reason     text,
    reversed_cents     bigint      not null default 0,
    created_at         timestamptz not null,
    paid_at            timestamptz,
    updated_at         timestamptz not null
);
create index payouts_creator on payouts (creator_id, id);
create index payouts_pending on payouts (created_at) where status = 'pending';

-- One scheduled run per creator and period (weekly 2026-W49, monthly 2026-12), whatever the replicas do.
create table payout_periods (
    creator_id text        not null,
    period     text        not null,
    outcome    text        not null,
    payout_id  text,
    created_at timestamptz not null default now(),
    primary key (creator_id, period)
);
