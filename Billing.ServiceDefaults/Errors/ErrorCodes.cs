namespace Billing.ServiceDefaults.Errors;

/// <summary>The stable machine-readable codes of API.md; every problem response carries one.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string RedirectUrlNotAllowed = "redirect_url_not_allowed";
    public const string DepositOutOfRange = "deposit_out_of_range";
    public const string Unauthorized = "unauthorized";
    public const string MissingScope = "missing_scope";
    public const string NotFound = "not_found";
    public const string Conflict = "conflict";
    public const string IdempotencyKeyInUse = "idempotency_key_in_use";
    public const string IdempotencyKeyMismatch = "idempotency_key_mismatch";
    public const string PaymentRequired = "payment_required";
    public const string LimitExceeded = "limit_exceeded";
    public const string InsufficientFunds = "insufficient_funds";
    public const string RateLimited = "rate_limited";
    public const string StripeError = "stripe_error";
    public const string Unavailable = "unavailable";
    // Not in API.md's first list: answers of the HTTP layer, each named for what the caller must change.
    public const string MethodNotAllowed = "method_not_allowed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string Internal = "internal_error";

    /// <summary>The code a bare status gets when nothing more specific was said.</summary>
    public static string ForStatus(int status) => status switch
    {
        400 => ValidationFailed,
        401 => Unauthorized,
        402 => PaymentRequired,
        403 => MissingScope,
        404 => NotFound,
        405 => MethodNotAllowed,
        409 => Conflict,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        422 => ValidationFailed,
        429 => RateLimited,
        502 => StripeError,
        503 => Unavailable,
        504 => Unavailable,
        _ => Internal,
    };
}
