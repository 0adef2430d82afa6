using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Billing.ServiceDefaults.Errors;

/// <summary>
/// The one place where exceptions become answers: ProblemDetails with a stable code, never a
/// stack trace, never a 500 for the caller's mistake.
/// </summary>
public sealed class ProblemDetailsExceptionHandler(IProblemDetailsService problems, ILogger<ProblemDetailsExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, code, detail) = Classify(exception);
        if (status >= 500) logger.LogError(exception, "Request failed with {Status} {Code}", status, code);

        var problem = exception is ApiException { Errors: { } errors }
            ? new ValidationProblemDetails(errors)
            : new ProblemDetails();
        problem.Status = status;
        problem.Detail = detail;
        problem.Extensions["code"] = code;
        if (exception is ApiException api)
            foreach (var (key, value) in api.Extensions) problem.Extensions[key] = value;

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static (int Status, string Code, string Detail) Classify(Exception exception) => exception switch
    {
        ApiException api => (api.Status, api.Code, api.Message),
        BadHttpRequestException bad => (bad.StatusCode, ErrorCodes.ForStatus(bad.StatusCode), bad.Message),
        System.Text.Json.JsonException => (400, ErrorCodes.ValidationFailed, "The request body is not valid JSON for this endpoint."),
        DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } } =>
            (409, ErrorCodes.Conflict, "A resource with the same unique key already exists."),
        NpgsqlException { IsTransient: true } or TimeoutException =>
            (503, ErrorCodes.Unavailable, "A dependency is unavailable; retry later."),
        DbUpdateException { InnerException: NpgsqlException { IsTransient: true } } =>
            (503, ErrorCodes.Unavailable, "A dependency is unavailable; retry later."),
        _ => (500, ErrorCodes.Internal, "An unexpected error occurred."),
    };
}
