-- Billing customers: one per (app, external id); the Stripe customer is made lazily, once.
create table customers (
    id                 text primary key,
    app_id             text        not null,
    external_id        text        not null,
    email              text,
    name               text,
    metadata           jsonb       not null default '{}',
    stripe_customer_id text unique,
    created_at         timestamptz not null default now(),
    unique (app_id, external_id)
);

-- Projection of Catalog's plans (PlanChanged): what checkout sells and how Stripe prices map back to plans.
create table catalog_plans (
    id                text primary key,
    app_id            text    not null,
    name              text    not null,
    active            boolean not null,
    sellable          boolean not null,
    trial_days        integer not null,
    metadata          jsonb   not null default '{}',
    stripe_product_id text,
    version           bigint  not null
);
create index ix_catalog_plans_app_id on catalog_plans (app_id);

create table catalog_prices (
    id              text primary key,
    plan_id         text    not null references catalog_plans (id) on delete cascade,
    app_id          text    not null,
    interval        text    not null,
    amount_cents    bigint  not null,
    currency        text    not null,
    active          boolean not null,
    stripe_price_id text
);
create index ix_catalog_prices_plan_id on catalog_prices (plan_id);
create index ix_catalog_prices_stripe_price_id on catalog_prices (app_id, stripe_price_id);

-- Our record of each Stripe Checkout Session we opened: one open per customer and plan.
create table checkout_sessions (
    id                text primary key,
    app_id            text        not null,
    customer_id       text        not null references customers (id),
    plan_id           text        not null,
    price_id          text        not null,
    quantity          integer     not null,
    trial_days        integer,
    stripe_session_id text        not null unique,
    url               text        not null,
    status            text        not null,
    expires_at        timestamptz not null,
    created_at        timestamptz not null default now()
);
-- At most one open session per customer and plan, whatever the concurrency.
create unique index ux_checkout_sessions_open on checkout_sessions (customer_id, plan_id) where status = 'open';

alter table subscriptions add column version bigint not null default 0;
alter table subscriptions add column updated_at timestamptz not null default now();
create index ix_subscriptions_customer_id_created_at on subscriptions (customer_id, created_at);
