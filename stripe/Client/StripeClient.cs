using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Billing.Stripe;

/// <summary>
/// The typed Stripe client. Resource calls hang off the service properties
/// (<see cref="Customers"/>, <see cref="CheckoutSessions"/>, ...); <see cref="RequestAsync{T}"/>
/// reaches any other endpoint with the same encoding, idempotency, retries and errors.
/// Register it with <see cref="StripeServiceCollectionExtensions.AddStripeClient"/>.
/// </summary>
public sealed partial class StripeClient : IStripeClient
{
    private const string FormContentType = "application/x-www-form-urlencoded";
    private const int MaxIdempotencyKeyLength = 255;

    private readonly HttpClient _http;
    private readonly StripeOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Used by the HTTP client factory; prefer DI or <see cref="Create"/>.</summary>
    public StripeClient(HttpClient httpClient, IOptions<StripeOptions> options, ILogger<StripeClient> logger)
        : this(httpClient, options.Value, logger, TimeProvider.System)
    {
    }

    private StripeClient(HttpClient httpClient, StripeOptions options, ILogger logger, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(options.SecretKey))
            throw new ArgumentException("Stripe:SecretKey is required (environment variable Stripe__SecretKey).", nameof(options));
        _http = httpClient;
        _options = options;
        _logger = logger;
        _time = time;
        // Each attempt gets its own timeout below; the HttpClient-wide one would also cut
        // across the backoff waits between attempts.
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _http.BaseAddress = new Uri(options.ApiBase.TrimEnd('/') + "/");
        InitServices();
    }

    /// <summary>
    /// A client outside dependency injection (tools, tests). The handler defaults to a
    /// <see cref="SocketsHttpHandler"/> with <see cref="StripeOptions.ConnectTimeout"/>.
    /// </summary>
    /// <exception cref="ValidationException">The options break the same rules DI validates at start.</exception>
    public static StripeClient Create(StripeOptions options, HttpMessageHandler? handler = null, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        handler ??= new SocketsHttpHandler { ConnectTimeout = options.ConnectTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        return new StripeClient(new HttpClient(handler), options, logger ?? NullLogger.Instance, time ?? TimeProvider.System);
    }

    /// <inheritdoc />
    public async Task<T> RequestAsync<T>(HttpMethod method, string path, object? parameters = null, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(method, path, parameters, options, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize<T>(response.Body, StripeJson.Options)
                ?? throw new JsonException("The response body was null.");
        }
        catch (JsonException e)
        {
            throw new StripeException(StripeErrorKind.Api, response.StatusCode,
                new StripeError { Message = $"Could not read Stripe's answer as {typeof(T).Name}: {e.Message}" }, response.RequestId, e);
        }
    }

    /// <inheritdoc />
    public async Task<StripeResponse> SendAsync(HttpMethod method, string path, object? parameters = null, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentException.ThrowIfNullOrEmpty(path);

        var pairs = new List<KeyValuePair<string, string>>(StripeFormEncoder.Flatten(parameters));
        foreach (var field in options?.Expand ?? [])
            pairs.Add(new("expand[]", field));
        var encoded = StripeFormEncoder.Encode(pairs);

        var isPost = method == HttpMethod.Post;
        var relative = path.TrimStart('/');
        if (!isPost && encoded.Length > 0)
            relative += (relative.Contains('?') ? "&" : "?") + encoded;

        // Chosen once, before the first attempt: a retry must carry the same key, or Stripe
        // could run a request twice whose first answer was merely lost on the way back.
        var idempotencyKey = isPost ? options?.IdempotencyKey ?? $"billing-retry-{Guid.NewGuid():N}" : null;
        if (idempotencyKey is { Length: > MaxIdempotencyKeyLength })
            throw new ArgumentException($"An idempotency key is at most {MaxIdempotencyKeyLength} characters; IdempotencyKeys.From makes a short one from any input.", nameof(options));
        var maxRetries = Math.Max(0, options?.MaxNetworkRetries ?? _options.MaxNetworkRetries);

        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, relative);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.SecretKey);
            request.Headers.TryAddWithoutValidation("Stripe-Version", options?.ApiVersion ?? _options.ApiVersion);
            request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Billing.Stripe", "1.0"));
            if (options?.StripeAccount is { Length: > 0 } account)
                request.Headers.TryAddWithoutValidation("Stripe-Account", account);
            if (idempotencyKey is not null)
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            if (isPost)
                request.Content = new StringContent(encoded, Encoding.UTF8, FormContentType);

            var outcome = await TryOnceAsync(request, cancellationToken).ConfigureAwait(false);
            if (outcome.Response is { } ok && (int)ok.StatusCode < 300)
            {
                _logger.LogDebug("Stripe {Method} /{Path} answered {Status} (request {RequestId}, attempt {Attempt}, replayed {Replayed})",
                    method, path.TrimStart('/'), (int)ok.StatusCode, ok.RequestId, attempt, ok.IdempotentReplayed);
                return ok with { Attempts = attempt };
            }

            var retry = attempt <= maxRetries && ShouldRetry(outcome);
            if (!retry)
                throw ToException(outcome);

            var delay = RetryDelay(attempt, outcome.Response);
            _logger.LogWarning("Stripe {Method} /{Path} failed with {Status} (request {RequestId}); retry {Retry} of {MaxRetries} in {Delay} ms",
                method, path.TrimStart('/'), outcome.Response is { } r ? (int)r.StatusCode : "network error " + outcome.Error?.GetType().Name,
                outcome.Response?.RequestId, attempt, maxRetries, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private readonly record struct Outcome(StripeResponse? Response, Exception? Error);

    private async Task<Outcome> TryOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attemptCts.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptCts.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(attemptCts.Token).ConfigureAwait(false);
            return new Outcome(new StripeResponse(response.StatusCode, response.Headers, body), null);
        }
        catch (HttpRequestException e)
        {
            return new Outcome(null, e);
        }
        catch (IOException e)
        {
            return new Outcome(null, e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome(null, new TimeoutException($"No answer from Stripe within {_options.RequestTimeout.TotalSeconds:0.#} s.", e));
        }
    }

    private static bool ShouldRetry(Outcome outcome)
    {
        if (outcome.Response is not { } response)
            return true; // no answer at all: the request may not have arrived
        // Stripe's own verdict wins over the status code in both directions.
        switch (response.Header("Stripe-Should-Retry")?.ToLowerInvariant())
        {
            case "true":
                return true;
            case "false":
                return false;
        }
        var status = (int)response.StatusCode;
        return status is 409 or 429 || status >= 500;
    }

    private TimeSpan RetryDelay(int retry, StripeResponse? response)
    {
        if (response?.Headers.RetryAfter is { } retryAfter)
        {
            var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - _time.GetUtcNow() : TimeSpan.Zero);
            if (wait < TimeSpan.Zero)
                wait = TimeSpan.Zero;
            return wait < _options.MaxRetryAfter ? wait : _options.MaxRetryAfter;
        }
        var exponential = _options.InitialRetryDelay * Math.Pow(2, retry - 1);
        if (exponential > _options.MaxRetryDelay)
            exponential = _options.MaxRetryDelay;
        // "Equal jitter": half fixed, half random, so concurrent clients spread out but never
        // retry immediately.
        return exponential * (0.5 + Random.Shared.NextDouble() * 0.5);
    }

    private static StripeException ToException(Outcome outcome)
    {
        if (outcome.Response is not { } response)
            return new StripeException(StripeErrorKind.Connection, null, null, null, outcome.Error);
        var error = ReadError(response.Body);
        var kind = StripeException.KindFor(response.StatusCode, error?.Type);
        return new StripeException(kind, response.StatusCode, error ?? new StripeError { Message = $"HTTP {(int)response.StatusCode} without a Stripe error body." }, response.RequestId);
    }

    private static StripeError? ReadError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                ? error.Deserialize<StripeError>(StripeJson.Options)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
