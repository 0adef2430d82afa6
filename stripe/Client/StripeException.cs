using System.Net;
using System.Text.Json;

namespace Billing.Stripe;

/// <summary>What kind of failure a <see cref="StripeException"/> is, following Stripe's own SDKs.</summary>
public enum StripeErrorKind
{
    /// <summary>Stripe answered 5xx or something this client could not read.</summary>
    Api,
    /// <summary>The card was declined or could not be charged (402, <c>card_error</c>).</summary>
    Card,
    /// <summary>Missing, unknown or invalid parameters, or no such resource (400, 404).</summary>
    InvalidRequest,
    /// <summary>An idempotency key was reused with different parameters (<c>idempotency_error</c>).</summary>
    Idempotency,
    /// <summary>No valid API key (401).</summary>
    Authentication,
    /// <summary>The key lacks a permission (403).</summary>
    Permission,
    /// <summary>Too many requests (429).</summary>
    RateLimit,
    /// <summary>No HTTP answer: connection refused or dropped, or the attempt timed out.</summary>
    Connection,
}

/// <summary>The <c>error</c> object of a Stripe error response.</summary>
public sealed record StripeError
{
    /// <summary><c>api_error</c>, <c>card_error</c>, <c>idempotency_error</c> or <c>invalid_request_error</c>.</summary>
    public string? Type { get; init; }
    public string? Code { get; init; }
    public string? DeclineCode { get; init; }
    public string? Message { get; init; }
    public string? Param { get; init; }
    public string? DocUrl { get; init; }
    public string? RequestLogUrl { get; init; }
    public string? Charge { get; init; }
    /// <summary>The payment intent the error relates to, as Stripe sent it (an object).</summary>
    public JsonElement? PaymentIntent { get; init; }
    public JsonElement? PaymentMethod { get; init; }
    public JsonElement? SetupIntent { get; init; }
}

/// <summary>A failed Stripe call, after the client's retries.</summary>
public class StripeException : Exception
{
    /// <summary>Creates the exception; the message is built from the error's parts.</summary>
    public StripeException(StripeErrorKind kind, HttpStatusCode? httpStatus, StripeError? error, string? requestId, Exception? innerException = null)
        : base(BuildMessage(kind, httpStatus, error, requestId, innerException), innerException)
    {
        Kind = kind;
        HttpStatus = httpStatus;
        Error = error;
        RequestId = requestId;
    }

    public StripeErrorKind Kind { get; }

    /// <summary>The HTTP status; null for <see cref="StripeErrorKind.Connection"/>.</summary>
    public HttpStatusCode? HttpStatus { get; }

    /// <summary>The parsed <c>error</c> object, when Stripe sent one.</summary>
    public StripeError? Error { get; }

    /// <summary>The <c>Request-Id</c> header; quote it to Stripe support.</summary>
    public string? RequestId { get; }

    public string? Type => Error?.Type;
    public string? Code => Error?.Code;
    public string? DeclineCode => Error?.DeclineCode;
    public string? Param => Error?.Param;

    /// <summary>Stripe's own message, meant for developers (and for card errors, safe to show the payer).</summary>
    public string? StripeMessage => Error?.Message;

    /// <summary>Maps a status and error body to a kind, as Stripe's SDKs do.</summary>
    public static StripeErrorKind KindFor(HttpStatusCode status, string? type) => (int)status switch
    {
        400 or 404 when type == "idempotency_error" => StripeErrorKind.Idempotency,
        400 or 404 => StripeErrorKind.InvalidRequest,
        401 => StripeErrorKind.Authentication,
        402 => StripeErrorKind.Card,
        403 => StripeErrorKind.Permission,
        429 => StripeErrorKind.RateLimit,
        _ => type switch
        {
            "card_error" => StripeErrorKind.Card,
            "idempotency_error" => StripeErrorKind.Idempotency,
            "invalid_request_error" => StripeErrorKind.InvalidRequest,
            _ => StripeErrorKind.Api,
        },
    };

    private static string BuildMessage(StripeErrorKind kind, HttpStatusCode? status, StripeError? error, string? requestId, Exception? inner)
    {
        var text = $"Stripe {kind} error";
        if (status is { } s)
            text += $" ({(int)s})";
        var codes = string.Join('/', new[] { error?.Type, error?.Code, error?.DeclineCode }.Where(c => !string.IsNullOrEmpty(c)));
        if (codes.Length > 0)
            text += $" [{codes}]";
        text += ": " + (error?.Message ?? inner?.Message ?? "no error message");
        if (error?.Param is { Length: > 0 } param)
            text += $" (param: {param})";
        if (requestId is not null)
            text += $" (request {requestId})";
        return text;
    }
}
