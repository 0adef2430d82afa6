using Billing.Gateway.Auth;
using Billing.Gateway.Infrastructure;
using Billing.Gateway.Model;
using Billing.Gateway.Routing;
using Billing.ServiceDefaults.Api;
using Billing.ServiceDefaults.Errors;
using Billing.ServiceDefaults.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Billing.Gateway.Apis;

/// <summary>An app's API keys: made and shown once, listed masked, rolled with a grace period, revoked.</summary>
public static class KeysApi
{
    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder routes)
    {
        var keys = routes.MapGroup("/v1/apps/{appId}/keys").WithTags("Keys").WithMetadata(RouteAccess.Account);
        // The secret is in the first answer only: an Idempotency-Key replay says what was made, without it.
        keys.MapPost("/", CreateKey).WithMetadata(new RedactOnReplay("secret"));
        keys.MapGet("/", ListKeys);
        keys.MapPost("/{keyId}/roll", RollKey).WithMetadata(new RedactOnReplay("secret"));
        keys.MapDelete("/{keyId}", RevokeKey);
        return routes;
    }

    public static async Task<Created<KeyResponse>> CreateKey(
        string appId, CreateKeyRequest request, HttpContext http, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        request.Validate();
        var app = await db.FindManagedAppAsync(http, appId, ct);
        var (key, secret) = NewKey(app.Id, request.Type!, request.Mode!, request.Name!.Trim(), request.Scopes?.Distinct().Order().ToList() ?? []);
        db.ApiKeys.Add(key);
        db.Record(http, app.Id, "key.created", key.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/apps/{app.Id}/keys/{key.Id}", KeyResponse.From(key, time.GetUtcNow(), secret));
    }

    /// <summary>Every key of the app, revoked ones included, masked.</summary>
    public static async Task<Ok<Page<KeyResponse>>> ListKeys(
        string appId, HttpContext http, GatewayDbContext db, TimeProvider time, int? limit, string? startingAfter, CancellationToken ct)
    {
        var app = await db.FindManagedAppAsync(http, appId, ct);
        var page = await db.ApiKeys.AsNoTracking().Where(k => k.AppId == app.Id).ToPageAsync(PageRequest.From(limit, startingAfter), k => k.Id, ct);
        var now = time.GetUtcNow();
        return TypedResults.Ok(page.Map(key => KeyResponse.From(key, now)));
    }

    /// <summary>
    /// A new secret for the key (same type, mode, name and scopes, a new id); the old one keeps
    /// working for <c>expiresInSeconds</c> (default 0) so deployments can switch over.
    /// </summary>
    public static async Task<Created<KeyResponse>> RollKey(
        string appId, string keyId, [FromBody] RollKeyRequest? request, HttpContext http, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var grace = (request ?? new RollKeyRequest(null)).Validate();
        var app = await db.FindManagedAppAsync(http, appId, ct);
        var old = await FindKeyAsync(db, app.Id, keyId, ct);
        var now = time.GetUtcNow();
        if (!old.IsUsableAt(now)) throw ApiException.Conflict("This key is revoked or expired; create a new key instead.");

        var (key, secret) = NewKey(app.Id, old.Type, old.Mode, old.Name, old.Scopes);
        db.ApiKeys.Add(key);
        old.ExpiresAt = now + grace;
        old.ReplacedBy = key.Id;
        db.Record(http, app.Id, "key.rolled", old.Id);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/v1/apps/{app.Id}/keys/{key.Id}", KeyResponse.From(key, now, secret));
    }

    /// <summary>Revokes the key; it stops working on every gateway replica within the credential cache's lifetime.</summary>
    public static async Task<Ok<KeyResponse>> RevokeKey(
        string appId, string keyId, HttpContext http, GatewayDbContext db, TimeProvider time, CancellationToken ct)
    {
        var app = await db.FindManagedAppAsync(http, appId, ct);
        var key = await FindKeyAsync(db, app.Id, keyId, ct);
        var now = time.GetUtcNow();
        if (key.RevokedAt is null)
        {
            key.RevokedAt = now;
            db.Record(http, app.Id, "key.revoked", key.Id);
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(KeyResponse.From(key, now));
    }

    private static async Task<ApiKey> FindKeyAsync(GatewayDbContext db, string appId, string keyId, CancellationToken ct) =>
        await db.ApiKeys.SingleOrDefaultAsync(k => k.AppId == appId && k.Id == keyId, ct) ?? throw ApiException.NotFound("The key");

    private static (ApiKey Key, string Secret) NewKey(string appId, string type, string mode, string name, List<string> scopes)
    {
        var prefix = Secrets.KeyPrefix(type, mode);
        var secret = Secrets.New(prefix);
        return (new ApiKey
        {
            Id = Ids.New("key"), AppId = appId, Type = type, Mode = mode, Name = name, Scopes = scopes,
            SecretHash = Secrets.Hash(secret), Prefix = prefix, Last4 = secret[^4..],
        }, secret);
    }
}
