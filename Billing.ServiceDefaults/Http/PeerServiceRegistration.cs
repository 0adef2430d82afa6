using Microsoft.Extensions.DependencyInjection;

namespace Billing.ServiceDefaults.Http;

public static class PeerServiceRegistration
{
    /// <summary>
    /// How long a peer read may take before it counts as "could not be asked": long enough for a peer on a
    /// machine under load (a full test run here saw 12 s answers), short against the caller's own timeout.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A <see cref="PeerServiceReader"/> for <paramref name="service"/>, found by service discovery. One attempt,
    /// bounded by <see cref="Timeout"/>, without the standard retries every other client has: the caller is
    /// waiting, and a peer that is not there (refused, unknown name) must cost a moment, not the retries' seconds.
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
