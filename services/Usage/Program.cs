using Billing.Usage;
using Billing.ServiceDefaults.Hosting;

return await ServiceHost.RunAsync(args, UsageService.Build, UsageService.Migrations);
