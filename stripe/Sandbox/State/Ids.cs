namespace Billing.StripeSandbox.State;

/// <summary>Stripe-looking ids: a type prefix and random base-62 characters.</summary>
public static class Ids
{
    const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New(string prefix, int length = 24)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        return prefix + new string(chars);
    }
}
