using System.Security.Cryptography;
using System.Text;

namespace Billing.Orders.Charges;

/// <summary>
/// The Idempotency-Key a charge request came with, in the namespace the IdempotencyMiddleware keeps it in
/// (the app and the caller's mode: a test key's charge is not a live key's). The middleware alone cannot make
/// a charge exactly-once: it frees the key when the request fails on our side (5xx), also when the charge's
/// commit did happen but its outcome was lost (a broken connection), and it loses its record if the process
/// dies between the commit and storing the answer. So the charge's ledger source is derived from the key
/// (<see cref="SourceIn"/>), the same on every retry, and the unique source books it once (see
/// <see cref="Ledger.WalletDebit"/>), the retry answering the first booking.
/// </summary>
public sealed record ChargeKey(string Mode, string IdempotencyKey)
{
    /// <summary>
    /// <c>charge_key:</c> and the SHA-256 of app, mode and key: fixed length whatever the key (up to 255
    /// characters), and the key itself is not copied into the ledger. The charge's id stays a new
    /// time-ordered <c>wtx_</c> id (the wallet's transactions page oldest first by id); a retry answers the
    /// id the first booking got.
    /// </summary>
    public string SourceIn(string appId) =>
        "charge_key:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{appId}\n{Mode}\n{IdempotencyKey}")));
}
