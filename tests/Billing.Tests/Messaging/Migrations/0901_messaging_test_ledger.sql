-- The business table of the messaging tests' own service: a row that must commit or roll back with its event.
create table messaging_test_ledger (
    id           text primary key,
    app_id       text        not null,
    amount_cents bigint      not null,
    created_at   timestamptz not null default now()
);
