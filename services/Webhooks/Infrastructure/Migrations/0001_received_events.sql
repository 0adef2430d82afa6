create table received_events (
    id                text primary key,
    -- Stripe redelivers and our reconciler re-reads: the event id makes every copy after the first a no-op.
    stripe_event_id   text        not null unique,
    type              text        not null,
    app_id            text,
    account           text,
    stripe_created_at timestamptz not null,
    payload           jsonb       not null,
    status            text        not null,
    received_at       timestamptz not null default now()
);

create index ix_received_events_type on received_events (type, id);
create index ix_received_events_app_id on received_events (app_id, id);
