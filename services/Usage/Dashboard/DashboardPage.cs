using Billing.ServiceDefaults.Security;

namespace Billing.Usage.Dashboard;

/// <summary>
/// The developer's dashboard page: static HTML and one script, embedded in this assembly and public (they
/// hold no data; the data calls carry the account token the developer signs in with). The policy below
/// lets the page load nothing but itself and call nothing but its own origin.
/// </summary>
public static class DashboardPage
{
    private const string Policy =
        "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    public static IEndpointRouteBuilder MapDashboardPage(this IEndpointRouteBuilder routes)
    {
        var html = Read("index.html");
        var script = Read("dashboard.js");
        routes.MapGet("/dashboard", (HttpContext http) => Serve(http, html, "text/html; charset=utf-8")).IsPublic().ExcludeFromDescription();
        routes.MapGet("/dashboard/dashboard.js", (HttpContext http) => Serve(http, script, "text/javascript; charset=utf-8")).IsPublic().ExcludeFromDescription();
        return routes;
    }

    private static IResult Serve(HttpContext http, string content, string contentType)
    {
        http.Response.Headers.ContentSecurityPolicy = Policy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        http.Response.Headers.CacheControl = "no-cache";
        return Results.Text(content, contentType);
    }

    private static string Read(string name)
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream($"Billing.Usage.Dashboard.Web.{name}")
            ?? throw new InvalidOperationException($"The dashboard's {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
