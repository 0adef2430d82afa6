using Billing.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Billing.ServiceDefaults.Http;

/// <summary>
/// The largest request body a JSON API takes: 1 MiB unless <c>Http:MaxRequestBodyBytes</c> says
/// otherwise (a batch of 1,000 usage events is ~150 KiB). Kestrel's own default is 30 MB, which
/// only lets a caller make a service buffer and parse a body no client of this API sends.
/// </summary>
public static class RequestBodyLimit
{
    public const long DefaultBytes = 1024 * 1024;

    /// <summary>Kestrel refuses longer bodies while they are read (also chunked ones, whose length is not declared).</summary>
    public static TBuilder AddRequestBodyLimit<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var limit = builder.Configuration.GetValue("Http:MaxRequestBodyBytes", DefaultBytes);
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = limit);
        return builder;
    }

    /// <summary>A declared length over the limit is refused before anything reads the body, with a detail that names the limit.</summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetService(typeof(IConfiguration)) is IConfiguration configuration
            ? configuration.GetValue("Http:MaxRequestBodyBytes", DefaultBytes)
            : DefaultBytes;
        return app.Use((context, next) => context.Request.ContentLength > limit
            ? throw new ApiException(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge,
                $"The request body is larger than {limit} bytes.")
            : next(context));
    }
}
