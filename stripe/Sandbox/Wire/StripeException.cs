using System.Text.Json.Nodes;

namespace Billing.StripeSandbox.Wire;

/// <summary>A Stripe error: thrown anywhere in a request, rendered once as Stripe's error object.</summary>
public sealed class StripeException(int status, string type, string message, string? code = null,
    string? param = null, string? declineCode = null) : Exception(message)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    public string? Code { get; } = code;
    public string? Param { get; } = param;
    public string? DeclineCode { get; } = declineCode;
    /// <summary>Ids Stripe adds to card errors (payment_intent, charge, payment_method).</summary>
    public JsonObject Extra { get; } = new();

    public JsonObject ToJson()
    {
        var error = new JsonObject { ["type"] = Type };
        if (Code is not null)
        {
            error["code"] = Code;
            error["doc_url"] = $"https://stripe.com/docs/error-codes/{Code.Replace('_', '-')}";
        }
        if (DeclineCode is not null) error["decline_code"] = DeclineCode;
        error["message"] = Message;
        if (Param is not null) error["param"] = Param;
        foreach (var (key, value) in Extra) error[key] = value?.DeepClone();
        return new JsonObject { ["error"] = error };
    }

    public static StripeException Invalid(string message, string? param = null, string? code = null) =>
        new(400, "invalid_request_error", message, code, param);
    public static StripeException Missing(string param) =>
        new(400, "invalid_request_error", $"Missing required param: {param}.", "parameter_missing", param);
    public static StripeException Unknown(string param) =>
        new(400, "invalid_request_error", $"Received unknown parameter: {param}", "parameter_unknown", param);
    public static StripeException NotFound(string kind, string id, string param = "id") =>
        new(404, "invalid_request_error", $"No such {kind}: '{id}'", "resource_missing", param);
    public static StripeException Unauthorized(string message) => new(401, "invalid_request_error", message);
    public static StripeException Card(string message, string code, string? declineCode) =>
        new(402, "card_error", message, code, null, declineCode);
}
