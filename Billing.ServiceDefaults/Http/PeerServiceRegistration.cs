using Microsoft.Extensions.DependencyInjection;

namespace Billing.ServiceDefaults.Http;

public static class PeerServiceRegistration
{
    /// <summary>How long a peer read may take before it counts as "nothing found".</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A <see cref="PeerServiceReader"/> for <paramref name="service"/>, found by service discovery. One attempt,
    /// bounded by <see cref="Timeout"/>, without the standard retries every other client has: the read only
    /// improves an answer the caller is waiting for, so an unreachable peer must cost a moment, not the retries' seconds.
    /// </summary>
    public static IHttpClientBuilder AddPeerServiceReader<TReader>(this IServiceCollection services, string service)
        where TReader : PeerServiceReader
    {
        services.AddHttpContextAccessor();
#pragma warning disable EXTEXP0001 // Marked for evaluation, and the library's one way to opt a client out of ConfigureHttpClientDefaults' handler.
        return services.AddHttpClient<TReader>(http =>
            {
                http.BaseAddress = new Uri($"http://{service}");
                http.Timeout = Timeout;
            })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
    }
}
