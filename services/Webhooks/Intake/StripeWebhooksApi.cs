using System.Data.Common;
using System.Text;
using System.Text.Json;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Billing.Stripe;
using Billing.Stripe.Webhooks;
using Billing.Webhooks.Ingest;
using Billing.Webhooks.Model;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Stripe;

namespace Billing.Webhooks.Intake;

/// <summary>The answer Stripe gets: 200 once the event is durable (or was already).</summary>
public sealed record WebhookReceipt(string EventId, bool Duplicate);

/// <summary><c>POST /webhooks/stripe</c> (the platform's events) and <c>/webhooks/stripe/connect</c> (connected accounts').</summary>
public static class StripeWebhooksApi
{
    public const string PlatformPath = "/webhooks/stripe";
    public const string ConnectPath = "/webhooks/stripe/connect";

    public static IEndpointRouteBuilder MapStripeWebhooksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Stripe webhooks").IsPublic();
        group.MapPost(PlatformPath, (HttpContext http, [AsParameters] IntakeServices intake, CancellationToken ct) =>
            ReceiveAsync(http, intake, "platform", intake.Secrets.WebhookSecrets, ct));
        group.MapPost(ConnectPath, (HttpContext http, [AsParameters] IntakeServices intake, CancellationToken ct) =>
            ReceiveAsync(http, intake, "connect", intake.Secrets.ConnectWebhookSecrets, ct));
        return routes;
    }

    /// <summary>What one delivery needs, resolved from the request's scope.</summary>
    public sealed record IntakeServices(
        IOptions<WebhooksOptions> Options, IOptions<StripeWebhookOptions> SecretOptions, StripeWebhookVerifier Verifier,
        WebhookRejections Rejections, StripeEventIngestor Ingestor, IServiceProvider Services)
    {
        public StripeWebhookOptions Secrets => SecretOptions.Value;

        /// <summary>Resolved only for a thin event: a snapshot delivery never calls Stripe.</summary>
        public StripeClient Stripe => Services.GetRequiredService<StripeClient>();
    }

    private static async Task<Ok<WebhookReceipt>> ReceiveAsync(
        HttpContext http, IntakeServices intake, string endpoint, IReadOnlyList<string> secrets, CancellationToken ct)
    {
        byte[] body;
        try
        {
            body = await WebhookBody.ReadAsync(http.Request, intake.Options.Value.MaxBodyBytes, ct);
        }
        catch (ApiException tooLarge)
        {
            intake.Rejections.Record(endpoint, "body_too_large", tooLarge.Message, (int)(http.Request.ContentLength ?? 0));
            throw;
        }

        var json = Encoding.UTF8.GetString(body);
        var verification = intake.Verifier.Verify(json, http.Request.Headers["Stripe-Signature"], secrets);
        if (!verification.IsValid)
            throw Reject(intake, endpoint, verification.Reason.ToString(), verification.Message, body.Length);

        var stripeEvent = await ReadEventAsync(body, NulEscapes.Replace(json), intake, endpoint, ct);
        try
        {
            var outcome = await intake.Ingestor.IngestAsync(stripeEvent, EventSource.Webhook, ct);
            return TypedResults.Ok(new WebhookReceipt(stripeEvent.Id, outcome == IngestOutcome.Duplicate));
        }
        catch (DbException)
        {
            // Nothing is stored: any non-2xx makes Stripe retry, and 503 says why.
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "The event could not be stored; retry later.");
        }
    }

    /// <param name="json">The body as text, NUL escapes replaced (<see cref="NulEscapes"/>).</param>
    private static async Task<SnapshotEvent> ReadEventAsync(byte[] body, string json, IntakeServices intake, string endpoint, CancellationToken ct)
    {
        try
        {
            return ThinEvents.IsThin(body) ? await FetchSnapshotAsync(body, intake.Stripe, ct) : SnapshotEvent.Parse(json);
        }
        catch (Exception e) when (e is JsonException or StripeSignatureException or KeyNotFoundException or InvalidOperationException)
        {
            throw Reject(intake, endpoint, WebhookFailureReason.InvalidPayload.ToString(), e.Message, body.Length);
        }
    }

    private static async Task<SnapshotEvent> FetchSnapshotAsync(byte[] thin, StripeClient stripe, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(thin);
        string payload;
        try
        {
            payload = NulEscapes.Replace(await ThinEvents.ToSnapshotAsync(document.RootElement, stripe, ct));
        }
        catch (Exception e) when (StripeErrors.IsStripeFailure(e) && !ct.IsCancellationRequested)
        {
            // Nothing is stored: Stripe retries the thin event, and by then its object can be read.
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable,
                $"The object of this thin event could not be read from Stripe; retry later. ({e.GetType().Name})");
        }
        return SnapshotEvent.Parse(payload);
    }

    private static ApiException Reject(IntakeServices intake, string endpoint, string reason, string detail, int bodyBytes)
    {
        intake.Rejections.Record(endpoint, reason, detail, bodyBytes);
        return new ApiException(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, $"Webhook refused: {detail}");
    }
}
