-- Catalog's products as Orders sells them (from ProductChanged; the highest version wins).
create table catalog_products (
    id              text primary key,
    app_id          text    not null,
    name            text    not null,
    active          boolean not null,
    sellable        boolean not null,
    price_id        text    not null,
    price_cents     bigint  not null,
    currency        text    not null,
    stripe_price_id text,
    version         bigint  not null
);
create index ix_catalog_products_app_price on catalog_products (app_id, price_id);

-- The app's own connected account (from ConnectAccountChanged; the highest version wins):
-- while charges are enabled, the app's sales are destination charges to it.
create table connect_accounts (
    app_id          text primary key,
    account_id      text    not null,
    charges_enabled boolean not null,
    version         bigint  not null
);

-- Where an order's money went (a destination charge), so its refunds reverse the transfer too.
alter table orders add column destination_account_id text;
alter table orders add column application_fee_cents bigint;
