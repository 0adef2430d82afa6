-- Every accepted usage event, once: the primary key is what makes an event id count once, ever,
-- per app (across replicas and retries). An id is claimed only by the transaction that commits it.
create table usage_events (
    app_id       text        not null,
    event_id     text        not null,
    customer_key text        not null,
    meter        text        not null,
    quantity     bigint      not null,
    occurred_at  timestamptz not null,
    received_at  timestamptz not null default now(),
    primary key (app_id, event_id)
);

-- Daily aggregates per customer, meter and UTC day, upserted in the transaction that inserts the events.
-- customer_key is the customer id (cus_…) or 'ext:' + an external id not yet known to Usage.
-- last_at orders values of 'last' meters; aggregation is the meter's at the time of the first event.
create table usage_daily (
    app_id       text        not null,
    customer_key text        not null,
    meter        text        not null,
    day          date        not null,
    aggregation  text        not null,
    quantity     bigint      not null,
    last_at      timestamptz not null,
    primary key (app_id, customer_key, meter, day)
);

-- Projection of Subscriptions' SubscriptionChanged: who the customers are, their plan, status and period.
create table subscriptions (
    id                   text primary key,
    app_id               text        not null,
    customer_id          text        not null,
    customer_external_id text        not null,
    plan_id              text        not null,
    status               text        not null,
    current_period_start timestamptz,
    current_period_end   timestamptz,
    version              bigint      not null,
    updated_at           timestamptz not null default now()
);
create index ix_subscriptions_customer on subscriptions (app_id, customer_id);
create index ix_subscriptions_external on subscriptions (app_id, customer_external_id);

-- Projection of Catalog's PlanChanged: the usage limits per meter for one billing period.
create table plans (
    id       text primary key,
    app_id   text   not null,
    name     text   not null,
    tier     text,
    limits   jsonb  not null default '{}',
    version  bigint not null
);

-- One alert per customer, meter, period and threshold (80, 100): the unique key makes it once per period.
create table usage_alerts (
    app_id       text        not null,
    customer_key text        not null,
    meter        text        not null,
    period_start date        not null,
    threshold    integer     not null,
    quantity     bigint      not null,
    usage_limit  bigint      not null,
    created_at   timestamptz not null default now(),
    primary key (app_id, customer_key, meter, period_start, threshold)
);
