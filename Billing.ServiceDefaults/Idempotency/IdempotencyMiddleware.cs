using System.Security.Cryptography;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http;

namespace Billing.ServiceDefaults.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on POST, with Stripe's semantics, per app and mode: the same key and
/// request within 24 hours answers the first response again (<c>Idempotent-Replayed: true</c>);
/// the same key with another request is 422; while the first is still running, 409.
/// A request that fails on our side (5xx or an exception) releases its key, so the retry runs.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Headers.TryGetValue(Header, out var values)
            || context.Features.Get<CallerIdentity>() is not { } caller)
        {
            await next(context);
            return;
        }

        var key = values.ToString();
        if (key.Length is 0 or > 255 || key.Any(char.IsControl))
            throw ApiException.Validation(Header, "Idempotency-Key must be 1 to 255 printable characters.");
        var owner = $"{caller.AppId ?? caller.AccountId ?? caller.KeyId}:{caller.Mode}";
        var hash = await HashRequestAsync(context.Request, context.RequestAborted);

        switch (await store.ClaimAsync(owner, key, hash, context.RequestAborted))
        {
            case KeyClaim.Replay replay:
                await WriteReplayAsync(context.Response, replay.Response);
                return;
            case KeyClaim.Mismatch:
                throw new ApiException(422, ErrorCodes.IdempotencyKeyMismatch,
                    "This Idempotency-Key was already used with a different request.");
            case KeyClaim.InUse:
                throw new ApiException(409, ErrorCodes.IdempotencyKeyInUse,
                    "A request with this Idempotency-Key is still being processed; retry later.");
        }

        await ExecuteAndStoreAsync(context, owner, key);
    }

    private async Task ExecuteAndStoreAsync(HttpContext context, string owner, string key)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            await store.ReleaseAsync(owner, key, CancellationToken.None);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }

        var response = context.Response;
        if (response.StatusCode >= 500)
            await store.ReleaseAsync(owner, key, CancellationToken.None);
        else
        {
            var body = buffer.ToArray();
            if (context.GetEndpoint()?.Metadata.GetMetadata<RedactOnReplay>() is { } redact) body = redact.Apply(body);
            await store.CompleteAsync(owner, key, new StoredResponse(
                response.StatusCode, response.ContentType, response.Headers.Location.ToString() is { Length: > 0 } location ? location : null,
                body), CancellationToken.None);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    private static async Task WriteReplayAsync(HttpResponse response, StoredResponse stored)
    {
        response.StatusCode = stored.Status;
        if (stored.ContentType is not null) response.ContentType = stored.ContentType;
        if (stored.Location is not null) response.Headers.Location = stored.Location;
        response.Headers[ReplayedHeader] = "true";
        await response.Body.WriteAsync(stored.Body);
    }

    /// <summary>What makes two requests "the same": method, path, query and body.</summary>
    private static async Task<string> HashRequestAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0) hash.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
