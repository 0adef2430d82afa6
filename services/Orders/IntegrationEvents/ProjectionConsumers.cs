using Billing.Contracts.Catalog;
using Billing.Contracts.Connect;
using Billing.Orders.Infrastructure;
using Billing.Orders.Model;
using Billing.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Billing.Orders.IntegrationEvents;

/// <summary>Keeps Catalog's products (with their Stripe prices) for purchases; an older version than the one held changes nothing.</summary>
public sealed class ProductChangedConsumer(OrdersDbContext db) : InboxConsumer<ProductChanged, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<ProductChanged> context)
    {
        var (appId, state) = (context.Message.AppId, context.Message.Product);
        await Db.LockAsync("product:" + state.Id, context.CancellationToken);
        var product = await Db.CatalogProducts.SingleOrDefaultAsync(p => p.Id == state.Id, context.CancellationToken);
        if (product is null)
            Db.CatalogProducts.Add(product = new CatalogProduct
            {
                Id = state.Id, AppId = appId, Name = state.Name, PriceId = state.PriceId, Currency = state.Currency, Version = -1,
            });
        // Another app's product id is never taken over.
        if (product.AppId != appId || state.Version <= product.Version) return;
        product.Name = state.Name;
        product.Active = state.Active;
        product.Sellable = state.Sellable;
        product.PriceId = state.PriceId;
        product.PriceCents = state.PriceCents;
        product.Currency = state.Currency;
        product.StripePriceId = state.StripePriceId;
        product.Version = state.Version;
    }
}

/// <summary>Keeps the app's connected account; the highest version wins, whatever the delivery order.</summary>
public sealed class ConnectAccountChangedConsumer(OrdersDbContext db) : InboxConsumer<ConnectAccountChanged, OrdersDbContext>(db)
{
    protected override async Task HandleAsync(ConsumeContext<ConnectAccountChanged> context)
    {
        var e = context.Message;
        await Db.LockAsync("connect:" + e.AppId, context.CancellationToken);
        var account = await Db.ConnectAccounts.SingleOrDefaultAsync(a => a.AppId == e.AppId, context.CancellationToken);
        if (account is null) Db.ConnectAccounts.Add(account = new ConnectAccount { AppId = e.AppId, AccountId = e.AccountId, Version = -1 });
        if (e.Version <= account.Version) return;
        account.AccountId = e.AccountId;
        account.ChargesEnabled = e.ChargesEnabled;
        account.Version = e.Version;
    }
}
