create table plans (
    id                 text primary key,
    app_id             text        not null,
    name               text        not null,
    description        text,
    price_cents        bigint      not null check (price_cents >= 0),
    currency           text        not null default 'usd',
    interval           text        not null check (interval in ('Month', 'Year')),
    features           text[]      not null default '{}',
    limits             jsonb       not null default '{}',
    trial_days         integer     not null default 0 check (trial_days >= 0),
    active             boolean     not null default true,
    metadata           jsonb       not null default '{}',
    stripe_product_id  text,
    stripe_sync_status text        not null default 'Pending',
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now()
);

-- Lists are per app, newest-id order (ids sort by creation time).
create index ix_plans_app_id_id on plans (app_id, id);
