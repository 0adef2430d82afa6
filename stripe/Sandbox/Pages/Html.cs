using System.Net;
using Billing.StripeSandbox.State;

namespace Billing.StripeSandbox.Pages;

/// <summary>The one small page layout every hosted page shares.</summary>
public static class Html
{
    public static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string Money(long minor, string currency) =>
        $"{minor / 100}.{Math.Abs(minor % 100):00} {currency.ToUpperInvariant()}";

    public static IResult Page(string title, string body, int status = 200) => Results.Content($$"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}} · Stripe sandbox</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1a1f36; }
          h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin: 0 0 .4rem; } .muted { color: #697386; font-size: .9rem; }
          .card { border: 1px solid #e3e8ee; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
          label { display: block; margin: .6rem 0 .2rem; } input[type=text], input[type=email], select { width: 100%; padding: .5rem; box-sizing: border-box; }
          button { background: #635bff; color: #fff; border: 0; border-radius: 6px; padding: .6rem 1.2rem; margin-top: .8rem; cursor: pointer; }
          .error { color: #df1b41; } .ok { color: #0e6245; } table { width: 100%; border-collapse: collapse; font-size: .85rem; }
          td, th { text-align: left; padding: .3rem; border-bottom: 1px solid #e3e8ee; }
        </style></head>
        <body><p class="muted">Stripe sandbox · test mode</p>{{body}}</body></html>
        """, "text/html; charset=utf-8", statusCode: status);

    /// <summary>
    /// A hosted page of one object: GET renders it, POST submits its form. Both run under the
    /// sandbox's lock, as every API call does, so a page never sees an object half-changed.
    /// </summary>
    public static void MapFormPage(this IEndpointRouteBuilder app, string pattern,
        Func<SandboxState, string, IResult> render, Func<SandboxState, string, IFormCollection, IResult> submit)
    {
        app.MapGet(pattern, (string id, SandboxState s) =>
        {
            lock (s.Gate) return render(s, id);
        });
        app.MapPost(pattern, async (string id, HttpContext ctx, SandboxState s) =>
        {
            var form = await ctx.Request.ReadFormAsync();
            lock (s.Gate) return submit(s, id, form);
        });
    }
}
