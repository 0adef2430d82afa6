using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Billing.ServiceDefaults.Http;

/// <summary>
/// Every request and response carries <c>X-Request-Id</c>: taken from the caller (the gateway sets
/// it) when well-formed, else made here; it is also the trace identifier, a log scope and a span tag.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = context.Request.Headers[Header].ToString();
        if (!IsWellFormed(requestId)) requestId = NewId();
        context.Request.Headers[Header] = requestId;
        context.TraceIdentifier = requestId;
        // Set when the response starts: the exception handler clears headers set before it runs.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = requestId;
            return Task.CompletedTask;
        });
        Activity.Current?.SetTag("http.request_id", requestId);
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId }))
            await next(context);
    }

    public static string NewId() => "req_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    // A caller-chosen id ends up in logs: keep it short and plain so it cannot forge log lines.
    private static bool IsWellFormed(string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
