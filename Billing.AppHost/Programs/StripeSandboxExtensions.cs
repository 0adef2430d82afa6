using Aspire.Hosting.ApplicationModel;

namespace Billing.AppHost.Programs;

public static class StripeSandboxExtensions
{
    /// <summary>
    /// The sandbox accepts our secret key and delivers webhooks, signed with our secrets, through the
    /// gateway to the Webhooks service, as Stripe's do in production.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithStripeSandboxSettings(
        this IResourceBuilder<ProjectResource> sandbox, SystemSettings settings, IResourceBuilder<ProjectResource> gateway)
    {
        var self = sandbox.GetEndpoint("http");
        var through = gateway.GetEndpoint("http");
        return sandbox
            .WithEnvironment("Sandbox__ApiKeys__0", settings.StripeSecretKey.Parameter)
            .WithEnvironment("Sandbox__PublicBaseUrl", self)
            .WithEnvironment("Sandbox__WebhookEndpoints__0__Url", ReferenceExpression.Create($"{through}/webhooks/stripe"))
            .WithEnvironment("Sandbox__WebhookEndpoints__0__Secret", settings.StripeWebhookSecret.Parameter)
            .WithEnvironment("Sandbox__WebhookEndpoints__0__Connect", "false")
            .WithEnvironment("Sandbox__WebhookEndpoints__1__Url", ReferenceExpression.Create($"{through}/webhooks/stripe/connect"))
            .WithEnvironment("Sandbox__WebhookEndpoints__1__Secret", settings.StripeConnectWebhookSecret.Parameter)
            .WithEnvironment("Sandbox__WebhookEndpoints__1__Connect", "true")
            .WithEnvironment("Logging__Console__FormatterName", "simple")
            .WithEnvironment("Logging__Console__FormatterOptions__SingleLine", "true")
            .WithEnvironment("Logging__Console__FormatterOptions__ColorBehavior", "Disabled")
            .WithEnvironment("Logging__LogLevel__Microsoft.AspNetCore", "Warning");
    }
}
