namespace Billing.ServiceDefaults.Errors;

/// <summary>
/// A client-facing failure with its HTTP status and stable code. Thrown from handlers and turned
/// into ProblemDetails in one place (<see cref="ProblemDetailsExceptionHandler"/>).
/// </summary>
public class ApiException(int status, string code, string detail, IDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public IDictionary<string, string[]>? Errors { get; } = errors;

    /// <summary>Extra members for the problem body (for example Stripe's error fields).</summary>
    public IDictionary<string, object?> Extensions { get; } = new Dictionary<string, object?>();

    public static ApiException NotFound(string what) => new(404, ErrorCodes.NotFound, $"{what} was not found.");

    /// <summary>A <c>customerExternalId</c> that names no customer yet, in a call that creates customers only with an email.</summary>
    public static ApiException UnknownCustomer() => new(404, ErrorCodes.NotFound,
        "No customer has this customerExternalId in this app; send email with it to create the customer.");

    public static ApiException Validation(string field, string message) =>
        new(400, ErrorCodes.ValidationFailed, message, new Dictionary<string, string[]> { [field] = [message] });

    public static ApiException Validation(IDictionary<string, string[]> errors) =>
        new(400, ErrorCodes.ValidationFailed, "One or more fields are invalid.", errors);

    public static ApiException Conflict(string detail) => new(409, ErrorCodes.Conflict, detail);

    /// <summary>503 <c>unavailable</c>: a service this answer depends on could not be asked; the caller retries.</summary>
    public static ApiException Unavailable(string detail) => new(503, ErrorCodes.Unavailable, detail);
}
