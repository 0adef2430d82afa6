alter table received_events add column source text not null default 'Webhook';

-- The reconciler and range replays walk events by Stripe's own clock.
create index ix_received_events_stripe_created_at on received_events (stripe_created_at);

create table dead_letters (
    id             text primary key,
    message_id     uuid,
    message_type   text        not null,
    app_id         text,
    stripe_event_id text,
    consumer       text,
    reason         text        not null,
    exception_type text,
    message        jsonb       not null,
    failed_at      timestamptz not null
);

create table reconciler_checkpoints (
    name            text primary key,
    high_water_mark timestamptz not null,
    updated_at      timestamptz not null
);
