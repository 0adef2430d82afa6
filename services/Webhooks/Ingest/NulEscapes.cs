namespace Billing.Webhooks.Ingest;

/// <summary>
/// Postgres text and jsonb cannot hold U+0000, but a Stripe string (a metadata value, a
/// description) can. An event carrying one would be refused by Postgres on every retry and so never
/// stored: the escape is replaced by U+FFFD (the replacement character) before the event is parsed,
/// after its signature was checked on the bytes Stripe sent.
/// </summary>
public static class NulEscapes
{
    private const string Nul = @"\u0000";
    private const string Replacement = @"\ufffd";

    public static string Replace(string json) =>
        json.Contains(Nul, StringComparison.Ordinal) ? json.Replace(Nul, Replacement, StringComparison.Ordinal) : json;
}
