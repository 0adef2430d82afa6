using System.Net.Http.Json;
using System.Text.Json;
using Billing.Tests.Infrastructure;
using Billing.Usage;
using Billing.Usage.Infrastructure;
using Billing.Usage.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Billing.Tests.Usage;

[Collection(InfrastructureCollection.Name)]
public sealed class MetersApiTests(InfrastructureFixture infrastructure) : IAsyncLifetime
{
    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await TestService.StartAsync(UsageService.Build, infrastructure, "usage");

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Every_app_has_the_four_platform_meters_plus_its_own()
    {
        var app = TestApps.NewAppId();
        using (var scope = _service.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<UsageDbContext>();
            db.Meters.Add(new Meter { Key = "api_calls", AppId = app, Unit = "calls" });
            db.Meters.Add(new Meter { Key = "exports", AppId = TestApps.NewAppId(), Unit = "files" });
            await db.SaveChangesAsync();
        }

        var body = await _service.ClientFor(app).GetFromJsonAsync<JsonElement>($"/v1/{app}/usage/meters");

        var keys = body.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("key").GetString()).ToList();
        Assert.Equal(["ai_tokens", "api_calls", "bandwidth_bytes", "lambda_invocations", "storage_bytes"], keys);
    }
}
