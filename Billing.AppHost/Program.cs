using Billing.AppHost;
using Billing.AppHost.Logging;
using Billing.AppHost.Startup;

// dotnet Billing.AppHost.dll --root <repo> [options]: everything the system needs, health-gated,
// with a dashboard; Ctrl+C or SIGTERM stops it all. run.sh is the usual way in.
var console = new ConsoleSink();
if (args is ["--help"] or ["-h"])
{
    Console.WriteLine(AppHostOptions.Usage);
    return 0;
}
AppHostOptions options;
try
{
    options = AppHostOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException e)
{
    console.Error(e.Message + " (--help lists the options)");
    return 2;
}
return await AppHostRun.RunAsync(options, console);
