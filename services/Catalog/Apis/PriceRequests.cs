using Billing.Catalog.Model;
using Billing.ServiceDefaults.Api;

namespace Billing.Catalog.Apis;

/// <summary>One entry of a plan's <c>prices[]</c>.</summary>
public sealed record PriceRequest(BillingInterval? Interval, long? AmountCents, string? Currency);

/// <summary>A price as asked for, validated.</summary>
public sealed record PriceChange(BillingInterval Interval, long AmountCents, string Currency);

/// <summary>The price part of a plan's create or update: the shorthand (<c>priceCents</c>, <c>interval</c>) and/or <c>prices[]</c>.</summary>
public static class PlanPriceRules
{
    /// <summary>
    /// Checks the prices and returns them; <paramref name="defaultInterval"/> is the interval a bare
    /// <c>priceCents</c> applies to (an update's shown price), null when <c>interval</c> is required.
    /// </summary>
    public static List<PriceChange> Collect(
        Validation validation, long? priceCents, BillingInterval? interval, string? currency, IReadOnlyList<PriceRequest?>? prices,
        BillingInterval? defaultInterval, string defaultCurrency)
    {
        var changes = new List<PriceChange>();
        var shorthandCurrency = currency ?? defaultCurrency;
        validation.Currency(shorthandCurrency);
        if (priceCents is not null || (interval is not null && prices is null))
        {
            validation.Money(priceCents, "priceCents")
                .Check(interval is not null || defaultInterval is not null, "interval", "interval is required with priceCents: month or year.");
            if (priceCents is >= 0 and <= 99_999_999 && (interval ?? defaultInterval) is { } shorthandInterval)
                changes.Add(new PriceChange(shorthandInterval, priceCents.Value, shorthandCurrency));
        }
        if (prices is null) return changes;

        validation.Check(prices.Count is > 0 and <= 2, "prices", "prices has one or two entries: month and/or year.");
        for (var i = 0; i < prices.Count; i++)
        {
            var field = $"prices[{i}]";
            if (prices[i] is not { } price)
            {
                validation.Check(false, field, $"{field} must be an object.");
                continue;
            }
            var priceCurrency = price.Currency ?? shorthandCurrency;
            validation.Check(price.Interval is not null, $"{field}.interval", $"{field}.interval is required: month or year.")
                .Money(price.AmountCents, $"{field}.amountCents")
                .Currency(priceCurrency, $"{field}.currency");
            if (price is { Interval: { } priceInterval, AmountCents: >= 0 and <= 99_999_999 })
                changes.Add(new PriceChange(priceInterval, price.AmountCents.Value, priceCurrency));
        }
        validation.Check(changes.Select(c => c.Interval).Distinct().Count() == changes.Count, "prices",
            "At most one price per interval: give month and year once each.");
        return changes;
    }
}
