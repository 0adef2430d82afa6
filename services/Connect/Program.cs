using Billing.Connect;
using Billing.ServiceDefaults.Hosting;

return await ServiceHost.RunAsync(args, ConnectService.Build, ConnectService.Migrations);
