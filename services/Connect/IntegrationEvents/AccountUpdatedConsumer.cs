using Billing.Connect.Accounts;
using Billing.Connect.Infrastructure;
using Billing.Contracts.Stripe;
using Billing.ServiceDefaults.Messaging;
using MassTransit;

namespace Billing.Connect.IntegrationEvents;

/// <summary>
/// <c>account.updated</c> moves an app's or a creator's account (onboarding done, capabilities on or off).
/// Accounts we did not create are ignored; an account whose row is not committed yet (a crash between
/// Stripe's create and our commit) is read from Stripe by the next status call instead.
/// </summary>
public sealed class AccountUpdatedConsumer(ConnectDbContext db, AccountStates states)
    : InboxConsumer<AccountUpdated, ConnectDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<AccountUpdated> context) =>
        await states.ApplyEventAsync(context.Message.Account, context.Message.Origin.Created, context.CancellationToken);
}
