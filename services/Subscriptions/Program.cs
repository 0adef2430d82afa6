using Billing.Subscriptions;
using Billing.ServiceDefaults.Hosting;

return await ServiceHost.RunAsync(args, SubscriptionsService.Build, SubscriptionsService.Migrations);
