-- Developer accounts, their apps, the apps' API keys and the management audit trail.
-- Secrets are never stored: only the SHA-256 of each high-entropy token (unique, the lookup key).

create table accounts (
    id          text        primary key,
    email       text        not null,
    name        text        not null,
    token_hash  bytea       not null unique,
    created_at  timestamptz not null default now()
);

create unique index ux_accounts_email on accounts (lower(email));

create table apps (
    id                text        primary key,
    -- Null only for the platform app, which the operator runs.
    account_id        text        references accounts (id),
    name              text        not null,
    redirect_origins  text[]      not null default '{}',
    -- Requests per rate-limit window for each key of the app; null: the gateway's default.
    rate_limit        integer     check (rate_limit > 0),
    is_platform       boolean     not null default false,
    created_at        timestamptz not null default now()
);

create index ix_apps_account_id_id on apps (account_id, id);

-- The platform sells its tiers to developers through the same code as any app: it is an app too.
insert into apps (id, account_id, name, is_platform) values ('app_platform', null, 'Platform', true)
on conflict (id) do nothing;

create table api_keys (
    id           text        primary key,
    app_id       text        not null references apps (id),
    type         text        not null check (type in ('secret', 'publishable')),
    mode         text        not null check (mode in ('test', 'live')),
    name         text        not null,
    -- Empty: a full key (every scope).
    scopes       text[]      not null default '{}',
    secret_hash  bytea       not null unique,
    prefix       text        not null,
    last4        text        not null,
    created_at   timestamptz not null default now(),
    -- Set when the key is rolled: it keeps working until then (the grace period).
    expires_at   timestamptz,
    revoked_at   timestamptz,
    replaced_by  text
);

create index ix_api_keys_app_id_id on api_keys (app_id, id);

create table audit_entries (
    id          text        primary key,
    app_id      text        not null,
    account_id  text,
    action      text        not null,
    target      text        not null,
    ip          text,
    user_agent  text,
    request_id  text,
    created_at  timestamptz not null default now()
);

create index ix_audit_entries_app_id_id on audit_entries (app_id, id);
