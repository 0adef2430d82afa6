-- The event exactly as Stripe sent it: jsonb would reorder its keys and drop its spacing, and this
-- copy is for audit and replay, always read whole. (json still refuses a body that is not JSON.)
alter table received_events alter column payload type json using payload::text::json;
