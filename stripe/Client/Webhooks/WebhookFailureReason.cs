namespace Billing.Stripe.Webhooks;

/// <summary>Why a webhook delivery was refused; the intake counts refusals by it.</summary>
public enum WebhookFailureReason
{
    /// <summary>Verified.</summary>
    None,
    /// <summary>No <c>Stripe-Signature</c> header, or it was empty.</summary>
    MissingHeader,
    /// <summary>The header is not <c>t=...,v1=...</c> (no timestamp, or a timestamp that is not a positive number).</summary>
    MalformedHeader,
    /// <summary>The header has no <c>v1</c> signature (e.g. only <c>v0</c>).</summary>
    NoV1Signature,
    /// <summary>The timestamp is older than the tolerance (a replay, or a very late delivery).</summary>
    TimestampTooOld,
    /// <summary>The timestamp is further ahead than the tolerance (a forged or badly clocked sender).</summary>
    TimestampInFuture,
    /// <summary>No <c>v1</c> matches any configured secret: wrong secret or modified body.</summary>
    NoMatchingSignature,
    /// <summary>No webhook secret is configured.</summary>
    NoSecrets,
    /// <summary>The signature verified but the body is not a Stripe event.</summary>
    InvalidPayload,
}

/// <summary>The outcome of a signature check.</summary>
public sealed record WebhookVerificationResult(WebhookFailureReason Reason, string Message)
{
    public static readonly WebhookVerificationResult Valid = new(WebhookFailureReason.None, "");

    public bool IsValid => Reason == WebhookFailureReason.None;
}

/// <summary>A webhook whose signature did not verify, or whose body is not an event.</summary>
public sealed class StripeSignatureException(WebhookFailureReason reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public WebhookFailureReason Reason { get; } = reason;
}
