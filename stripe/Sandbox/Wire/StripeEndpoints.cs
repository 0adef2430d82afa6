using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;

namespace Billing.StripeSandbox.Wire;

/// <summary>
/// Maps an API route with everything Stripe does around a handler: <c>Request-Id</c>, API-key auth,
/// form/query parsing, <c>Stripe-Account</c> scoping, idempotency, <c>expand[]</c>, error objects.
/// Handlers run under the state lock and return the live object; it is rendered inside the lock.
/// </summary>
public static class StripeEndpoints
{
    public static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Get(this IEndpointRouteBuilder app, string pattern, Func<ApiCall, JsonNode> handler) =>
        app.MapGet(pattern, (HttpContext ctx) => Run(ctx, handler));
    public static void Post(this IEndpointRouteBuilder app, string pattern, Func<ApiCall, JsonNode> handler) =>
        app.MapPost(pattern, (HttpContext ctx) => Run(ctx, handler));
    public static void Delete(this IEndpointRouteBuilder app, string pattern, Func<ApiCall, JsonNode> handler) =>
        app.MapDelete(pattern, (HttpContext ctx) => Run(ctx, handler));

    static async Task Run(HttpContext ctx, Func<ApiCall, JsonNode> handler)
    {
        var requestId = Ids.New("req_", 14);
        ctx.Response.Headers["Request-Id"] = requestId;
        ctx.Response.Headers["Stripe-Version"] = SandboxConstants.ApiVersion;
        Idempotency.Fresh? pending = null;
        try
        {
            var options = ctx.RequestServices.GetRequiredService<SandboxOptions>();
            var apiKey = Authenticate(ctx, options);
            var raw = ctx.Request.QueryString.HasValue ? ctx.Request.QueryString.Value![1..] : "";
            if (ctx.Request.ContentLength is > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
            {
                using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                raw = raw.Length == 0 ? body : body.Length == 0 ? raw : raw + "&" + body;
            }
            var p = new Params(FormParser.Parse(raw));
            var account = ctx.Request.Headers["Stripe-Account"].FirstOrDefault() is { Length: > 0 } a ? a : null;
            var idemKey = ctx.Request.Headers["Idempotency-Key"].FirstOrDefault() is { Length: > 0 } k ? k : null;
            if (idemKey is not null)
            {
                if (idemKey.Length > 255) throw StripeException.Invalid("Idempotency-Key must be at most 255 characters.");
                ctx.Response.Headers["Idempotency-Key"] = idemKey;
            }
            var state = ctx.RequestServices.GetRequiredService<SandboxState>();

            if (idemKey is not null && HttpMethods.IsPost(ctx.Request.Method))
            {
                var outcome = ctx.RequestServices.GetRequiredService<Idempotency>()
                    .Begin($"{apiKey}\n{account}", idemKey, $"{ctx.Request.Path}\n{raw}");
                if (outcome is Idempotency.Replay replay)
                {
                    ctx.Response.Headers["Idempotent-Replayed"] = "true";
                    await Write(ctx, replay.Status, replay.Body);
                    return;
                }
                pending = (Idempotency.Fresh)outcome;
            }

            var call = new ApiCall
            {
                Http = ctx, P = p, State = state, Account = account, Cause = new Cause(requestId, idemKey),
            };
            byte[] json;
            lock (state.Gate)
            {
                if (account is not null && (state.Find(account) is not { } acct || acct["object"]!.GetValue<string>() != "account"))
                    throw new StripeException(403, "invalid_request_error",
                        $"The provided key does not have access to account '{account}' (or that account does not exist). Application access may have been revoked.",
                        "account_invalid");
                state.PublicBaseUrl ??= call.BaseUrl;
                var result = handler(call);
                var expand = p.Expand;
                if (expand.Count > 0 && result is JsonObject obj)
                {
                    var copy = (JsonObject)obj.DeepClone();
                    Expander.Apply(copy, expand, state);
                    result = copy;
                }
                json = Serialize(result);
            }
            pending?.Save(200, json);
            pending = null;
            await Write(ctx, 200, json);
        }
        catch (StripeException e)
        {
            var json = Serialize(e.ToJson());
            // Stripe saves the outcome once execution began (card declines, 5xx); validation failures
            // and missing objects are not saved, so the caller may fix and retry under the same key.
            if (pending is not null && (e.Status == 402 || e.Status >= 500)) pending.Save(e.Status, json);
            else pending?.Forget();
            if (e.Status == 401) ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"Stripe\"";
            // SDKs obey this over their own rules: only a key conflict is worth retrying as is.
            ctx.Response.Headers["Stripe-Should-Retry"] = e.Status == 409 ? "true" : "false";
            await Write(ctx, e.Status, json);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            ctx.RequestServices.GetRequiredService<ILogger<SandboxState>>().LogError(e, "Sandbox request failed");
            var json = Serialize(new StripeException(500, "api_error", "An unexpected error occurred in the sandbox.").ToJson());
            pending?.Save(500, json);
            await Write(ctx, 500, json);
        }
    }

    public static byte[] Serialize(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) node.WriteTo(writer);
        return buffer.ToArray();
    }

    static Task Write(HttpContext ctx, int status, byte[] body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength = body.Length;
        return ctx.Response.Body.WriteAsync(body).AsTask();
    }

    /// <summary>Bearer or Basic (key as user name); a test secret key, or one of the configured keys.</summary>
    static string Authenticate(HttpContext ctx, SandboxOptions options)
    {
        var header = ctx.Request.Headers.Authorization.FirstOrDefault();
        if (string.IsNullOrEmpty(header))
            throw StripeException.Unauthorized(
                "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        string key;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) key = header[7..].Trim();
        else if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try { key = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())).Split(':')[0]; }
            catch (FormatException) { throw StripeException.Unauthorized("Invalid API Key provided."); }
        }
        else throw StripeException.Unauthorized("Invalid API Key provided.");

        var valid = options.ApiKeys.Count > 0
            ? options.ApiKeys.Contains(key)
            : key.StartsWith("sk_test_", StringComparison.Ordinal) && key.Length > 8;
        if (!valid)
            throw StripeException.Unauthorized($"Invalid API Key provided: {Redact(key)}");
        return key;
    }

    static string Redact(string key) => key.Length <= 12 ? "****" : key[..8] + new string('*', key.Length - 12) + key[^4..];
}
