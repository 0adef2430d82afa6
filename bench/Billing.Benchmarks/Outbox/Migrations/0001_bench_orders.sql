-- The business row each benchmark message commits with, as a real service's would.
create table bench_orders (
    id           bigint primary key,
    amount_cents bigint      not null,
    created_at   timestamptz not null default now()
);
