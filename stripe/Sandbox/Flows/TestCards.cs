using Billing.StripeSandbox.Wire;

namespace Billing.StripeSandbox.Flows;

/// <summary>
/// Stripe's test card numbers and what charging them does. Any other number that passes the Luhn
/// check behaves like 4242.
/// </summary>
public static class TestCards
{
    public const string Succeeds = "4242424242424242";
    public const string Declined = "4000000000000002";
    public const string InsufficientFunds = "4000000000009995";
    /// <summary>Attaches and pays at checkout, but every later (off-session) charge fails.</summary>
    public const string AttachesButLaterChargesFail = "4000000000000341";

    /// <summary>Stripe's test payment-method tokens, mapped to the card they stand for.</summary>
    static readonly Dictionary<string, string> Tokens = new(StringComparer.Ordinal)
    {
        ["pm_card_visa"] = Succeeds,
        ["tok_visa"] = Succeeds,
        ["pm_card_chargeDeclined"] = Declined,
        ["pm_card_visa_chargeDeclined"] = Declined,
        ["pm_card_chargeDeclinedInsufficientFunds"] = InsufficientFunds,
        ["pm_card_visa_chargeDeclinedInsufficientFunds"] = InsufficientFunds,
        ["pm_card_chargeCustomerFail"] = AttachesButLaterChargesFail,
    };

    public static string? FromToken(string token) => Tokens.GetValueOrDefault(token);

    /// <summary>Digits of a typed card number; rejects what no card could be.</summary>
    public static string Normalize(string input, string param)
    {
        var digits = new string(input.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length is < 12 or > 19 || input.Any(ch => !char.IsAsciiDigit(ch) && ch != ' ' && ch != '-') || !Luhn(digits))
            throw new StripeException(402, "card_error", "Your card number is incorrect.", "incorrect_number", param);
        return digits;
    }

    public sealed record Decline(string Code, string DeclineCode, string Message);

    /// <summary>The decline a charge meets, or null when it succeeds.</summary>
    public static Decline? Charge(string number, bool offSession) => number switch
    {
        Declined => new("card_declined", "generic_decline", "Your card was declined."),
        InsufficientFunds => new("card_declined", "insufficient_funds", "Your card has insufficient funds."),
        AttachesButLaterChargesFail when offSession => new("card_declined", "generic_decline", "Your card was declined."),
        _ => null,
    };

    static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1) { d *= 2; if (d > 9) d -= 9; }
            sum += d;
        }
        return sum % 10 == 0;
    }

    public static string Brand(string number) => number[0] switch
    {
        '4' => "visa",
        '5' or '2' => "mastercard",
        '3' => "amex",
        _ => "unknown",
    };
}
