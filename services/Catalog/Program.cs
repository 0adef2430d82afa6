using Billing.Catalog;
using Billing.ServiceDefaults.Hosting;

return await ServiceHost.RunAsync(args, CatalogService.Build, CatalogService.Migrations);
