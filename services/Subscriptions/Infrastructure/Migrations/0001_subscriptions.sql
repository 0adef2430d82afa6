create table subscriptions (
    id                     text primary key,
    app_id                 text        not null,
    customer_id            text        not null,
    plan_id                text        not null,
    price_id               text        not null,
    interval               text        not null,
    quantity               integer     not null default 1 check (quantity > 0),
    status                 text        not null,
    current_period_start   timestamptz,
    current_period_end     timestamptz,
    cancel_at_period_end   boolean     not null default false,
    canceled_at            timestamptz,
    trial_end              timestamptz,
    stripe_subscription_id text unique,
    stripe_customer_id     text,
    created_at             timestamptz not null default now()
);

create index ix_subscriptions_app_id_id on subscriptions (app_id, id);
create index ix_subscriptions_app_id_customer_id on subscriptions (app_id, customer_id);
