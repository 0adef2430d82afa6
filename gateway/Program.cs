using Billing.Gateway;
using Billing.ServiceDefaults.Hosting;

return await ServiceHost.RunAsync(args, GatewayService.Build, GatewayService.Migrations);
