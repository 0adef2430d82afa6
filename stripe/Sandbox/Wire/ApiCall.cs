using System.Text.Json.Nodes;
using Billing.StripeSandbox.State;

namespace Billing.StripeSandbox.Wire;

/// <summary>One authenticated API request as handlers see it.</summary>
public sealed class ApiCall
{
    public required HttpContext Http { get; init; }
    public required Params P { get; init; }
    public required SandboxState State { get; init; }
    /// <summary>The connected account from <c>Stripe-Account</c>, or null for the platform.</summary>
    public required string? Account { get; init; }
    public required Cause Cause { get; init; }

    public string Route(string name) => (string)Http.GetRouteValue(name)!;

    /// <summary>Where hosted pages are served: <c>Sandbox:PublicBaseUrl</c>, else the address the caller used.</summary>
    public string BaseUrl => Http.RequestServices.GetRequiredService<SandboxOptions>().PublicBaseUrl?.TrimEnd('/')
        ?? $"{Http.Request.Scheme}://{Http.Request.Host}";

    public long Now => State.RealNow;
    public long NowForCustomer(string? customer) => State.NowForCustomer(customer);

    public JsonObject Get(string type, string id, string kind, string param = "id") =>
        State.Get(Account, type, id, kind, param);
}
