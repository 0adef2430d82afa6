-- The gateway's copy of the developers' platform subscriptions, kept from the Subscriptions
-- service's SubscriptionChanged events (PlatformBilling/PlatformSubscriptionConsumer): enough to
-- answer 402 payment_required for a past-due account without asking Subscriptions per request.

create table platform_subscriptions (
    subscription_id   text        primary key,
    -- The customer's external id on the platform app: the developer account (dev_…).
    account_id        text        not null,
    status            text        not null,
    -- Decided by the consumer from the status (past_due, unpaid), so the rule lives in one place.
    payment_required  boolean     not null,
    -- The event's version: a change is applied only over an older one (delivery is unordered).
    version           bigint      not null,
    updated_at        timestamptz not null default now()
);

-- The credential lookup asks "does this account owe anything?": only owing rows are indexed.
create index ix_platform_subscriptions_owing on platform_subscriptions (account_id) where payment_required;
