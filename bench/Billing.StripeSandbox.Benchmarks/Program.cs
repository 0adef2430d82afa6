using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Billing.StripeSandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// Calls per second of simple sandbox API calls, from several concurrent HttpClient workers over
// loopback, next to a trivial Kestrel endpoint measured the same way in the same run.
// Usage: dotnet run -c Release --project bench/Billing.StripeSandbox.Benchmarks [-- --workers 8 --seconds 3]
var workers = Arg("--workers", 8);
var seconds = Arg("--seconds", 3);

var baseline = WebApplication.CreateSlimBuilder(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
var trivial = baseline.Build();
trivial.MapGet("/ping", () => "ok");
await trivial.StartAsync();

var sandbox = SandboxApp.Build(["--urls=http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
await sandbox.StartAsync();

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers * 2 });
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_bench");
var trivialUrl = Address(trivial) + "/ping";
var sandboxUrl = Address(sandbox);
var created = JsonNode.Parse(await (await http.PostAsync(sandboxUrl + "/v1/customers",
    new FormUrlEncodedContent([new("email", "bench@example.com")]))).Content.ReadAsStringAsync())!;
var customerUrl = $"{sandboxUrl}/v1/customers/{created["id"]}";

Console.WriteLine($"Stripe sandbox throughput: {workers} workers, {seconds} s per measurement, loopback, {Environment.ProcessorCount} cores");
var baseRate = await Measure("trivial Kestrel GET /ping (baseline)", () => http.GetAsync(trivialUrl));
var getRate = await Measure("sandbox GET /v1/customers/{id}", () => http.GetAsync(customerUrl));
var postRate = await Measure("sandbox POST /v1/customers", () => http.PostAsync(sandboxUrl + "/v1/customers",
    new FormUrlEncodedContent([new("email", "load@example.com"), new("metadata[app]", "bench")])));
Console.WriteLine();
Console.WriteLine($"GET  ratio to baseline: {getRate / baseRate:P0}");
Console.WriteLine($"POST ratio to baseline: {postRate / baseRate:P0}");
var target = 2000;
Console.WriteLine($"target >= {target} calls/s: GET {(getRate >= target ? "met" : "NOT met")}, POST {(postRate >= target ? "met" : "NOT met")}");

await sandbox.StopAsync();
await trivial.StopAsync();
return getRate >= target && postRate >= target ? 0 : 1;

async Task<double> Measure(string name, Func<Task<HttpResponseMessage>> call)
{
    await Run(TimeSpan.FromSeconds(1)); // warm-up: connections, JIT
    var (count, errors, elapsed) = await Run(TimeSpan.FromSeconds(seconds));
    var rate = count / elapsed.TotalSeconds;
    Console.WriteLine($"{name,-40} {rate,10:N0} calls/s  ({count:N0} calls, {errors} errors)");
    return rate;

    async Task<(long Count, long Errors, TimeSpan Elapsed)> Run(TimeSpan duration)
    {
        long count = 0, errors = 0;
        var watch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, workers).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                using var response = await call();
                await response.Content.LoadIntoBufferAsync();
                if (response.IsSuccessStatusCode) Interlocked.Increment(ref count); else Interlocked.Increment(ref errors);
            }
        });
        await Task.WhenAll(tasks);
        return (count, errors, watch.Elapsed);
    }
}

static string Address(WebApplication app) =>
    app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}
