using Billing.Orders;
using Billing.ServiceDefaults.Hosting;

return await ServiceHost.RunAsync(args, OrdersService.Build, OrdersService.Migrations);
