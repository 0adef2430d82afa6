using Billing.StripeSandbox.State;
using System.Text.Json.Nodes;

namespace Billing.StripeSandbox.Wire;

/// <summary>Stripe's list object: newest first, <c>limit</c>, cursors and <c>created</c> filters.</summary>
public static class ListPage
{
    public static JsonObject Build(Params p, IEnumerable<JsonObject> oldestFirst, string url)
    {
        var limit = p.Long("limit") ?? 10;
        if (limit is < 1 or > 100)
            throw StripeException.Invalid("Invalid limit: must be between 1 and 100", "limit", "parameter_invalid_integer");
        var after = p.NonEmpty("starting_after");
        var before = p.NonEmpty("ending_before");
        if (after is not null && before is not null)
            throw StripeException.Invalid("You may only specify one of these parameters: ending_before, starting_after.", "ending_before");

        var items = oldestFirst.Where(CreatedFilter(p)).Reverse().ToList();
        List<JsonObject> page;
        bool hasMore;
        if (after is not null)
        {
            var at = IndexOf(items, after, "starting_after");
            var rest = items.Skip(at + 1).ToList();
            page = rest.Take((int)limit).ToList();
            hasMore = rest.Count > limit;
        }
        else if (before is not null)
        {
            var at = IndexOf(items, before, "ending_before");
            var rest = items.Take(at).ToList();
            page = rest.Skip(Math.Max(0, rest.Count - (int)limit)).ToList();
            hasMore = rest.Count > limit;
        }
        else
        {
            page = items.Take((int)limit).ToList();
            hasMore = items.Count > limit;
        }
        return Shape(page, hasMore, url);
    }

    /// <summary>An embedded list holding everything (e.g. <c>subscription.items</c>).</summary>
    public static JsonObject Whole(IEnumerable<JsonObject> items, string url) => Shape(items.ToList(), false, url);

    static JsonObject Shape(List<JsonObject> page, bool hasMore, string url) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray(page.Select(o => (JsonNode)o.DeepClone()).ToArray()),
        ["has_more"] = hasMore,
        ["url"] = url,
    };

    static int IndexOf(List<JsonObject> items, string id, string param)
    {
        var at = items.FindIndex(o => o["id"]?.GetValue<string>() == id);
        return at >= 0 ? at : throw StripeException.NotFound("object", id, param);
    }

    static Func<JsonObject, bool> CreatedFilter(Params p)
    {
        if (!p.Has("created")) return _ => true;
        if (p.Hash("created") is { } range)
        {
            range.Allow("gt", "gte", "lt", "lte");
            long? gt = range.Long("gt"), gte = range.Long("gte"), lt = range.Long("lt"), lte = range.Long("lte");
            return o =>
            {
                var c = o["created"]!.Long();
                return (gt is null || c > gt) && (gte is null || c >= gte) && (lt is null || c < lt) && (lte is null || c <= lte);
            };
        }
        var exact = p.Long("created");
        return o => exact is null || o["created"]!.Long() == exact;
    }
}
