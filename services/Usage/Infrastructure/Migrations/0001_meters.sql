create table meters (
    seq         bigint generated always as identity primary key,
    key         text        not null check (key ~ '^[a-z][a-z0-9_]{0,63}$'),
    app_id      text,
    unit        text        not null,
    aggregation text        not null check (aggregation in ('Sum', 'Max', 'Last')),
    created_at  timestamptz not null default now()
);

-- A key is unique within an app, and an app cannot shadow a platform meter.
create unique index ux_meters_app_key on meters (coalesce(app_id, ''), key);

insert into meters (key, app_id, unit, aggregation) values
    ('storage_bytes', null, 'bytes', 'Max'),
    ('ai_tokens', null, 'tokens', 'Sum'),
    ('lambda_invocations', null, 'invocations', 'Sum'),
    ('bandwidth_bytes', null, 'bytes', 'Sum');
