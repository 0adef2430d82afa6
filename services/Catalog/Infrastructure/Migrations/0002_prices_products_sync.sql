-- One-time products, beside plans.
create table products (
    id                 text primary key,
    app_id             text        not null,
    name               text        not null,
    description        text,
    active             boolean     not null default true,
    metadata           jsonb       not null default '{}',
    stripe_product_id  text,
    stripe_sync_status text        not null default 'Pending',
    stripe_sync_error  text,
    sync_requested_at  timestamptz not null default now(),
    version            bigint      not null default 1,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);
create index ix_products_app_id_id on products (app_id, id);

-- Prices of plans (recurring: an interval) and products (one-time). An amount never changes:
-- a new amount is a new row, the old one kept inactive for the subscribers still on it.
create table prices (
    id                 text primary key,
    app_id             text        not null,
    plan_id            text references plans (id),
    product_id         text references products (id),
    interval           text check (interval in ('Month', 'Year')),
    amount_cents       bigint      not null check (amount_cents >= 0),
    currency           text        not null,
    active             boolean     not null default true,
    stripe_price_id    text,
    stripe_deactivated boolean     not null default false,
    created_at         timestamptz not null default now(),
    check ((plan_id is null) <> (product_id is null)),
    check ((plan_id is null) = (interval is null))
);
create index ix_prices_plan_id on prices (plan_id);
create index ix_prices_product_id on prices (product_id);
-- At most one active price per plan and interval, and per product.
create unique index ux_prices_active_plan_interval on prices (plan_id, interval) where active and plan_id is not null;
create unique index ux_prices_active_product on prices (product_id) where active and product_id is not null;

-- A plan's one price moves to the prices table (same suffix as the plan's id: unique, and sorts the same).
insert into prices (id, app_id, plan_id, interval, amount_cents, currency, active, created_at)
select 'price_' || substr(id, 6), app_id, id, interval, price_cents, currency, true, created_at from plans;

alter table plans
    drop column price_cents,
    drop column currency,
    drop column interval,
    add column stripe_sync_error text,
    add column sync_requested_at timestamptz not null default now(),
    add column version bigint not null default 1;

-- What the sweeper looks for: syncs not done.
create index ix_plans_unsynced on plans (sync_requested_at) where stripe_sync_status <> 'Synced';
create index ix_products_unsynced on products (sync_requested_at) where stripe_sync_status <> 'Synced';
