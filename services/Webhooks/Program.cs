using Billing.Webhooks;
using Billing.ServiceDefaults.Hosting;

return await ServiceHost.RunAsync(args, WebhooksService.Build, WebhooksService.Migrations);
