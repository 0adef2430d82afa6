-- The reconciler's bookmark becomes a position in Stripe's event list (an event id) instead of a
-- `created` time, which test clocks set days away from the wall clock. A time cannot be turned into
-- a position: without a row, the next pass starts over with the initial look-back.
delete from reconciler_checkpoints;

alter table reconciler_checkpoints
    drop column high_water_mark,
    add column cursor_event_id  text,
    add column pending_event_id text,
    add column pending_since    timestamptz;
