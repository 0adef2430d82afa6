create table connected_accounts (
    id                text primary key,
    app_id            text        not null,
    owner_id          text        not null,
    stripe_account_id text        not null unique,
    details_submitted boolean     not null default false,
    charges_enabled   boolean     not null default false,
    payouts_enabled   boolean     not null default false,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    -- One Express account per owner: onboarding twice reuses it.
    unique (app_id, owner_id)
);
