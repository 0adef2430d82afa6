using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Billing.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stripe;
using Xunit;

namespace Billing.Stripe.Tests.Client;

/// <summary>A Stripe refusal escaping an endpoint answers our <c>stripe_error</c> 502 problem, not ServiceDefaults' 500.</summary>
public sealed class StripeErrorProblemTests(SandboxHost sandbox) : IClassFixture<SandboxHost>
{
    [Fact]
    public async Task A_stripe_exception_from_an_endpoint_is_a_502_stripe_error_problem()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["urls"] = "http://127.0.0.1:0";
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        // As ServiceDefaults registers them: the catch-all handler first, then the service's own registrations.
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.AddProblemDetails();
        builder.Configuration["Stripe:SecretKey"] = SandboxHost.SecretKey;
        builder.Configuration["Stripe:ApiBase"] = sandbox.BaseUrl;
        builder.Services.AddStripeClient(builder.Configuration);
        await using var app = builder.Build();
        app.UseExceptionHandler();
        app.MapGet("/customer", async (StripeClient stripe) => (await stripe.V1.Customers.GetAsync("cus_missing")).Id);
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

        using var response = await http.GetAsync("/customer");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("stripe_error", problem.GetProperty("code").GetString());
        Assert.Equal("invalid_request_error", problem.GetProperty("stripeType").GetString());
        Assert.Equal("resource_missing", problem.GetProperty("stripeCode").GetString());
        Assert.Equal(404, problem.GetProperty("stripeStatus").GetInt32());
        Assert.DoesNotContain(SandboxHost.SecretKey, await response.Content.ReadAsStringAsync());
        await app.StopAsync();
    }
}
