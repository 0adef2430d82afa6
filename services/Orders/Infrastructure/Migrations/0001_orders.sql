create table orders (
    id                         text primary key,
    app_id                     text        not null,
    customer_id                text        not null,
    kind                       text        not null,
    product_id                 text,
    quantity                   integer     not null default 1 check (quantity > 0),
    amount_cents               bigint      not null check (amount_cents >= 0),
    currency                   text        not null default 'usd',
    status                     text        not null,
    refunded_cents             bigint      not null default 0 check (refunded_cents >= 0 and refunded_cents <= amount_cents),
    capture_method             text        not null default 'Automatic',
    stripe_checkout_session_id text unique,
    stripe_payment_intent_id   text unique,
    created_at                 timestamptz not null default now(),
    paid_at                    timestamptz
);

create index ix_orders_app_id_id on orders (app_id, id);
create index ix_orders_app_id_customer_id on orders (app_id, customer_id);
