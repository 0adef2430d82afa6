-- Idempotency-Key records of this service, per app: one row per (caller scope, key).
create table idempotency_keys (
    owner            text        not null,
    key              text        not null,
    request_hash     text        not null,
    -- in_progress until the first request finishes; locked_until lets a retry take over after a crash.
    state            text        not null check (state in ('in_progress', 'completed')),
    locked_until     timestamptz not null,
    response_status  integer,
    response_type    text,
    response_location text,
    response_body    bytea,
    created_at       timestamptz not null default now(),
    primary key (owner, key)
);

create index ix_idempotency_keys_created_at on idempotency_keys (created_at);
