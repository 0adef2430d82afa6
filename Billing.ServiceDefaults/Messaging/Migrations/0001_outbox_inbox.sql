-- Transactional outbox: rows staged with the business change, published by the relay after commit.
create table outbox_messages (
    id              uuid primary key,              -- the MassTransit MessageId
    sequence        bigint generated always as identity,
    message_type    text        not null,
    body            jsonb       not null,
    headers         jsonb,
    created_at      timestamptz not null default now(),
    attempts        integer     not null default 0,
    last_error      text,
    next_attempt_at timestamptz,                   -- null = now; later only for a row that cannot be published
    published_at    timestamptz
);

-- The relay's queue. Partial, so the published history costs the hot path nothing.
create index ix_outbox_messages_unpublished on outbox_messages (sequence) where published_at is null;
-- For the cleanup of old published rows.
create index ix_outbox_messages_published_at on outbox_messages (published_at) where published_at is not null;

-- Inbox: one row per (message, consumer), written in the same transaction as the consumer's effect.
create table inbox_messages (
    message_id   uuid        not null,
    consumer     text        not null,
    processed_at timestamptz not null default now(),
    primary key (message_id, consumer)
);

create index ix_inbox_messages_processed_at on inbox_messages (processed_at);
