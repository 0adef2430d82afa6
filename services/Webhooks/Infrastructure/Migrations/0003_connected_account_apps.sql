-- Which app each connected account belongs to, learned from the account's own metadata[app_id]
-- (its account.* events, or Stripe when an event of an unknown account arrives), so that events
-- on a connected account whose objects carry no app_id are still attributed to their app.
create table connected_account_apps (
    account    text primary key,
    app_id     text        not null,
    updated_at timestamptz not null
);
