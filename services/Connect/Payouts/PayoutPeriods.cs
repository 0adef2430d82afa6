using System.Globalization;
using Billing.Connect.Model;

namespace Billing.Connect.Payouts;

/// <summary>The period a scheduled payout belongs to, in UTC: ISO week <c>2026-W49</c> or month <c>2026-12</c>.</summary>
public static class PayoutPeriods
{
    public static string Of(PayoutFrequency frequency, DateTimeOffset at)
    {
        var day = at.UtcDateTime;
        return frequency switch
        {
            PayoutFrequency.Weekly => $"{ISOWeek.GetYear(day):0000}-W{ISOWeek.GetWeekOfYear(day):00}",
            PayoutFrequency.Monthly => $"{day.Year:0000}-{day.Month:00}",
            _ => throw new ArgumentOutOfRangeException(nameof(frequency), "Manual payouts have no period."),
        };
    }
}
