namespace Billing.Usage.Customers;

/// <summary>
/// A customer as Usage knows it: the keys its usage is recorded under, and its current plan, status and period.
/// </summary>
/// <param name="CustomerId">Ours (<c>cus_…</c>) when a SubscriptionChanged named it; else null.</param>
/// <param name="Keys">Every key its usage may be stored under: the id, and <c>ext:</c> + its external id (events sent
/// before Usage learned the id are kept under the latter and counted with it).</param>
/// <param name="Status">The current subscription's status; null without one.</param>
/// <param name="Limits">Per meter, for one period; empty without a plan (no limits).</param>
public sealed record CustomerAccount(
    string? CustomerId, string? ExternalId, IReadOnlyList<string> Keys, string? SubscriptionId, string? PlanId, string? PlanName,
    string? Tier, string? Status, BillingPeriod Period, IReadOnlyDictionary<string, long> Limits)
{
    /// <summary>The key new usage is recorded under.</summary>
    public string Key => Keys[0];

    /// <summary>An invoice is due and unpaid: entitlements answer 402 payment_required.</summary>
    public bool PaymentRequired => Status is "past_due" or "unpaid";

    public const string ExternalPrefix = "ext:";

    public static string ExternalKey(string externalId) => ExternalPrefix + externalId;
}

/// <summary>The billing period usage counts in: whole UTC days, <paramref name="End"/> excluded.</summary>
public sealed record BillingPeriod(DateOnly Start, DateOnly End, DateTimeOffset? StartsAt, DateTimeOffset? EndsAt)
{
    /// <summary>Without a subscription period, the calendar month (UTC) of <paramref name="now"/>.</summary>
    public static BillingPeriod CalendarMonth(DateTimeOffset now)
    {
        var start = new DateOnly(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);
        var end = start.AddMonths(1);
        return new BillingPeriod(start, end, new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
            new DateTimeOffset(end.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
    }

    /// <summary>The subscription's period, by the UTC days its start and end fall on; the calendar month when it has none or it is over.</summary>
    public static BillingPeriod Of(DateTimeOffset? start, DateTimeOffset? end, DateTimeOffset now)
    {
        if (start is null || end is null || end <= now || start > now) return CalendarMonth(now);
        var first = DateOnly.FromDateTime(start.Value.UtcDateTime);
        var last = DateOnly.FromDateTime(end.Value.UtcDateTime);
        return new BillingPeriod(first, last > first ? last : first.AddDays(1), start, end);
    }
}
